export * from './api-key.store';
export * from './api-keys';
export * from './sqlite-api-key.store';
