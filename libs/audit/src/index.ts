export * from './audit';
export * from './audit-markdown';
export * from './explain-change';
export * from './figure-change';
export * from './proof-bundle';
export * from './publication';
export * from './verify-log';
