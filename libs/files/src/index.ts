export * from './private-file';
