export * from './recount-figures';
