import type { ClientBase, Connection, Submittable } from 'pg';

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

/**
 * `COPY ... FROM STDIN` on a pg client, without the pg-copy-streams package (not installed):
 * the query object pg's client runs (a `Submittable`), sending `text` as CopyData messages
 * once the server asks for it. Resolves with the number of rows copied; rejects with the
 * server's error (the rows of a failed COPY are not stored, as for any failed statement).
 */
export function copyFrom(client: ClientBase, statement: string, text: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    const query: Submittable & Record<string, unknown> = {
      submit: (connection: Connection) => {
        if (!isCopyConnection(connection)) throw new Error('copyFrom: this pg connection cannot send CopyData');
        connection.query(statement);
      },
      handleCopyInResponse: (connection: Connection) => {
        if (!isCopyConnection(connection)) return;
        const bytes = Buffer.from(text, 'utf8');
        for (let at = 0; at < bytes.length; at += CHUNK) connection.sendCopyFromChunk(bytes.subarray(at, at + CHUNK));
        connection.endCopyFrom();
      },
      handleCommandComplete: (message: { text?: string }) => {
        rows = Number(/^COPY (\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
      },
      // pg drops a query that failed before the ReadyForQuery that follows: it is settled here.
      handleError: (error: Error) => reject(error),
      handleReadyForQuery: () => resolve(rows),
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    client.query(query);
  });
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
