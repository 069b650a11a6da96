/**
 * The validated environment (a LedgerEnvironment), as modules inject it. Its own file, importing
 * nothing, so that the store's and the read models' modules can ask for it optionally without
 * depending on the schema (which depends on them for their defaults).
 */
export const LEDGER_ENVIRONMENT = Symbol('LEDGER_ENVIRONMENT');
