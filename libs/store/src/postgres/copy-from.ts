import type { ClientBase, Connection, Submittable } from 'pg';
import type { LogRecord } from '../log-record';

/** What a `COPY ... FROM STDIN` sends on the connection (pg's Connection has them; its typings do not say so). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

function isCopyConnection(connection: Connection): connection is Connection & CopyConnection {
  const candidate: Partial<CopyConnection> = connection;
  return typeof candidate.sendCopyFromChunk === 'function' && typeof candidate.endCopyFrom === 'function' && typeof candidate.sendCopyFail === 'function';
}

/** Bytes per CopyData message. */
const CHUNK = 1 << 16;

/** A COPY in progress: rows are sent as they are written; `end` resolves with the rows stored. */
export interface CopyIn {
  /** Sends rows (COPY text format), at once: the server parses them while the caller goes on. */
  write(text: string): void;
  /** Ends the data; resolves with the number of rows copied, or rejects with the server's error. */
  end(): Promise<number>;
  /** Abandons the COPY: the server refuses it (its rows are not stored); resolves once it has. */
  fail(reason: string): Promise<void>;
}

/**
 * `COPY ... FROM STDIN` on a pg client, without the pg-copy-streams package (not installed):
 * the query object pg's client runs (a `Submittable`). Resolves once the server asks for the
 * data; the rows are then sent as the caller makes them, so the server stores them while the
 * caller makes the next ones. A failed COPY stores none of its rows, as any failed statement.
 */
export function openCopy(client: ClientBase, statement: string): Promise<CopyIn> {
  return new Promise<CopyIn>((opened, refused) => {
    let rows = 0;
    let connection: CopyConnection | undefined;
    let failure: Error | undefined;
    let settle: { resolve: (rows: number) => void; reject: (error: Error) => void } | undefined;
    const done = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined); // the caller hears of it from end() or fail()
    const copy: CopyIn = {
      write: (text) => {
        if (!connection || failure || text.length === 0) return;
        const bytes = Buffer.from(text, 'utf8');
        for (let at = 0; at < bytes.length; at += CHUNK) connection.sendCopyFromChunk(bytes.subarray(at, at + CHUNK));
      },
      end: () => {
        if (!failure) connection?.endCopyFrom();
        return done;
      },
      fail: async (reason) => {
        if (!failure) connection?.sendCopyFail(reason);
        await done.catch(() => undefined);
      },
    };
    const query: Submittable & Record<string, unknown> = {
      submit: (candidate: Connection) => {
        if (!isCopyConnection(candidate)) throw new Error('openCopy: this pg connection cannot send CopyData');
        candidate.query(statement);
      },
      handleCopyInResponse: (candidate: Connection) => {
        if (isCopyConnection(candidate)) connection = candidate;
        opened(copy);
      },
      handleCommandComplete: (message: { text?: string }) => {
        rows = Number(/^COPY (\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
      },
      // pg drops a query that failed before the ReadyForQuery that follows: it is settled here.
      handleError: (error: Error) => {
        failure = error;
        refused(error);
        settle?.reject(error);
      },
      handleReadyForQuery: () => settle?.resolve(rows),
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    client.query(query);
  });
}

/** COPY of rows already made, in one statement: resolves with the number of rows copied. */
export async function copyFrom(client: ClientBase, statement: string, text: string): Promise<number> {
  const copy = await openCopy(client, statement);
  copy.write(text);
  return copy.end();
}

/** A text value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** A nullable text value: `\N` for NULL. */
export function copyNullable(value: string | null | undefined): string {
  return value === null || value === undefined ? '\\N' : copyText(value);
}

/** A BYTEA given in hex, in COPY's text format (`\\x` then the hex digits). */
export function copyHex(hex: string | null | undefined): string {
  return hex === null || hex === undefined ? '\\N' : `\\\\x${hex}`;
}

/** A record as a row of `COPY events (position, event_id, ..., commitment, salt)` in text format. */
export function copyRow(r: LogRecord): string {
  return (
    `${r.position}\t${copyText(r.eventId)}\t${copyText(r.streamId)}\t${r.streamRevision}\t${copyText(r.type)}\t${copyNullable(r.learnerId)}\t` +
    `${copyText(r.occurredAt)}\t${copyText(r.recordedAt)}\t${copyText(r.data)}\t${copyHex(r.hash)}\t${copyHex(r.chain)}\t${r.leafVersion ?? 1}\t` +
    `${copyHex(r.commitment)}\t${copyHex(r.salt)}\n`
  );
}
