import type { Clock, EventStore } from './event-store.port';

export const DEFAULT_LEDGER_DB = 'sqlite:./data/ledger.db';

/** Which adapter a `LEDGER_DB` string names, and its connection string. */
export function parseLedgerDb(ledgerDb: string): { kind: 'sqlite' | 'postgres' | 'kurrentdb'; target: string } {
  const scheme = /^([a-z+]+):/.exec(ledgerDb)?.[1];
  switch (scheme) {
    case 'sqlite':
      return { kind: 'sqlite', target: ledgerDb.slice('sqlite:'.length) || './data/ledger.db' };
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

/**
 * Opens the store `LEDGER_DB` names. Adapters are loaded on demand, so the embedded
 * default never loads the PostgreSQL or gRPC clients.
 */
export async function openEventStore(ledgerDb: string = DEFAULT_LEDGER_DB, clock?: Clock): Promise<EventStore> {
  const { kind, target } = parseLedgerDb(ledgerDb);
  switch (kind) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('./sqlite/sqlite-event-store');
      return new SqliteEventStore(target, clock ? { clock } : {});
    }
    case 'postgres': {
      const { PostgresEventStore } = await import('./postgres/postgres-event-store');
      return PostgresEventStore.open(target, clock ? { clock } : {});
    }
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
      return KurrentDbEventStore.open(target, clock ? { clock } : {});
    }
  }
}
