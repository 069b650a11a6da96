/** `LEDGER_DB`: which store, and where. Here, with the other variables, so that the default is written once. */
export const DEFAULT_LEDGER_DB = 'sqlite:./data/ledger.db';

/** Which adapter a `LEDGER_DB` string names, and its connection string. */
export function parseLedgerDb(ledgerDb: string): { kind: 'sqlite' | 'postgres' | 'kurrentdb'; target: string } {
  const scheme = /^([a-z+]+):/.exec(ledgerDb)?.[1];
  switch (scheme) {
    case 'sqlite':
      return { kind: 'sqlite', target: ledgerDb.slice('sqlite:'.length) || DEFAULT_LEDGER_DB.slice('sqlite:'.length) };
    case 'postgres':
    case 'postgresql':
      return { kind: 'postgres', target: ledgerDb };
    case 'kurrentdb':
    case 'kurrentdb+discover':
    case 'kurrent':
    case 'kurrent+discover':
    case 'kdb':
    case 'kdb+discover':
    case 'esdb':
    case 'esdb+discover':
      return { kind: 'kurrentdb', target: ledgerDb };
    default:
      throw new Error(
        `LEDGER_DB=${JSON.stringify(ledgerDb)} names no store: use sqlite:<file>, postgres://..., kurrentdb://... or esdb://...`,
      );
  }
}

/** How long a write waits for the store's write lock when LEDGER_WRITE_WAIT_MS is not set: 30 s (validated with the others in ledger-environment.ts). */
export const DEFAULT_WRITE_WAIT_MS = 30_000;

/** The API keys' SQLite file when API_KEYS_DB is not set. */
export const DEFAULT_API_KEYS_DB = './data/api-keys.db';
