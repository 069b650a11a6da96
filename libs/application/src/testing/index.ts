export * from './courses-scenario';
export * from './use-cases-under-test';
