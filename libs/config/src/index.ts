export * from './environment-table';
export * from './ledger-config.module';
export * from './ledger-db';
export * from './ledger-environment';
export * from './ledger-environment.token';
