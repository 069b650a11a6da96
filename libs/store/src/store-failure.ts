/**
 * A store that cannot do its work now, whatever the request: the disk is full, the ledger
 * is read-only, the write lock stayed taken, the server does not answer. Not the caller's
 * fault (never a 4xx) and not a bug (not a bare 500): the API answers 503 with the kind and
 * a Retry-After, and `/health` shows it until a write succeeds again.
 */
export type StoreFailureKind = 'disk-full' | 'read-only' | 'busy' | 'unavailable';

export interface StoreFailure {
  readonly kind: StoreFailureKind;
  /** Said by the ledger, not the driver: no path, host or credential of the server's setup. */
  readonly message: string;
  /** The driver's code (SQLITE_FULL, 53100, ECONNREFUSED...), when there is one. */
  readonly code?: string;
  /** When to try again: a lock is released in seconds, a full disk needs someone. */
  readonly retryAfterSeconds: number;
}

const RETRY_AFTER: Readonly<Record<StoreFailureKind, number>> = {
  busy: 5,
  unavailable: 10,
  'disk-full': 60,
  'read-only': 60,
};

const MESSAGE: Readonly<Record<StoreFailureKind, string>> = {
  'disk-full': 'the store is out of space (disk full)',
  'read-only': 'the store is read-only',
  busy: 'the store is busy: another writer held its write lock longer than a write waits (LEDGER_WRITE_WAIT_MS)',
  unavailable: 'the store does not answer',
};

/**
 * The write lock was not released within the bound (LEDGER_WRITE_WAIT_MS): thrown instead
 * of waiting on, so the caller is told to come back rather than kept waiting without end.
 */
export class StoreBusyError extends Error {
  readonly code = 'LEDGER_WRITE_WAIT';
  constructor(readonly waitedMs: number) {
    super(`the ledger's write lock was held by another writer for over ${waitedMs} ms (LEDGER_WRITE_WAIT_MS)`);
    this.name = 'StoreBusyError';
  }
}

/** No connection to the store could be had (refused, not allowed, timed out): nothing was sent to it. */
export class StoreUnavailableError extends Error {
  readonly code = 'LEDGER_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** SQLite result codes (better-sqlite3 gives extended codes: SQLITE_READONLY_DBMOVED...), by prefix. */
const SQLITE: ReadonlyArray<readonly [string, StoreFailureKind]> = [
  ['SQLITE_FULL', 'disk-full'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_CANTOPEN', 'unavailable'],
  ['SQLITE_IOERR', 'unavailable'],
];

/** PostgreSQL SQLSTATE codes and classes. */
const POSTGRES: Readonly<Record<string, StoreFailureKind>> = {
  '53100': 'disk-full', // disk_full
  '25006': 'read-only', // read_only_sql_transaction
  '55P03': 'busy', // lock_not_available (lock_timeout)
  '53000': 'unavailable', // insufficient_resources
  '53200': 'unavailable', // out_of_memory
  '53300': 'unavailable', // too_many_connections
  '57P01': 'unavailable', // admin_shutdown (pg_terminate_backend)
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now
  '57P04': 'unavailable', // database_dropped
  '57P05': 'unavailable', // idle_session_timeout
};

/** Errors of the operating system or the network (Node's `code`). */
const SYSTEM: Readonly<Record<string, StoreFailureKind>> = {
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  EROFS: 'read-only',
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  ENETUNREACH: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  EPIPE: 'unavailable',
};

/** node-postgres says a lost or refused connection in plain errors, without a code. */
const PG_CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

/** KurrentDB client errors carry a `type`. */
const KURRENTDB: Readonly<Record<string, StoreFailureKind>> = {
  unavailable: 'unavailable',
  'deadline-exceeded': 'unavailable',
  timeout: 'unavailable',
  'not-leader': 'unavailable',
};

/** What kind of store failure `error` is (looking through its causes), or undefined when it is none. */
export function storeFailureOf(error: unknown): StoreFailure | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const found = classify(e);
    if (found) return found;
  }
  return undefined;
}

function classify(error: { code?: unknown; type?: unknown; message?: unknown; name?: unknown }): StoreFailure | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const failure = (kind: StoreFailureKind, shown: string | undefined = code): StoreFailure => ({
    kind,
    message: shown === undefined ? MESSAGE[kind] : `${MESSAGE[kind]} (${shown})`,
    ...(shown !== undefined ? { code: shown } : {}),
    retryAfterSeconds: RETRY_AFTER[kind],
  });
  if (error instanceof StoreBusyError) return failure('busy', error.code);
  if (error instanceof StoreUnavailableError) return failure('unavailable', error.code);
  if (code !== undefined) {
    const sqlite = SQLITE.find(([prefix]) => code.startsWith(prefix));
    if (sqlite) return failure(sqlite[1]);
    const postgres = POSTGRES[code] ?? (/^08[0-9A-Z]{3}$/.test(code) ? 'unavailable' : undefined); // class 08: connection exception
    if (postgres) return failure(postgres);
    const system = SYSTEM[code];
    if (system) return failure(system);
  }
  if (typeof error.message === 'string' && PG_CONNECTION_LOST.test(error.message)) return failure('unavailable', 'connection lost');
  if (typeof error.type === 'string' && typeof error.name === 'string' && error.name.endsWith('Error')) {
    const kurrent = KURRENTDB[error.type];
    if (kurrent) return failure(kurrent, error.type);
  }
  return undefined;
}
