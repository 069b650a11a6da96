export * from './duplicate-keys';
export * from './event-ingestor';
export * from './group-committer';
export * from './history-import';
export * from './import-file';
export * from './ingest.module';
export * from './ndjson-file';
export * from './parallel-validation';
