import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface GracefulShutdownOptions {
  /** How long requests in flight have to finish once the API stops (default 10 s); then their connections are closed. */
  readonly graceMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Stops the API on SIGTERM or SIGINT, in this order, then exits 0:
 * 1. it stops accepting connections, and answers the requests in flight (their answers say
 *    `Connection: close`; idle keep-alive connections are closed), for `graceMs` at most;
 * 2. the application closes: running jobs are waited for, the group commits in flight are
 *    committed and answered (a request that would come later is refused, not half stored),
 *    then the stores close (SQLite checkpoints its write-ahead log).
 * So every event answered 201 is stored, and every request is stored whole or not at all.
 * Another signal, a second or more later, stops at once (exit 1): safe for the ledger, as
 * a kill is.
 */
export function stopGracefully(app: INestApplication, options: GracefulShutdownOptions = {}): void {
  const graceMs = options.graceMs ?? 10_000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      // Ctrl-C under `npm start` comes from the terminal and again from npm: the same stop.
      if (Date.now() - stoppingSince < 1000) return;
      log(`${signal} again: stopping now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    log(`${signal}: stopping; no new connections, answering the requests in flight`);
    void (async () => {
      try {
        await closeHttp(app.getHttpServer() as Server, graceMs, log);
        await app.close();
        log('stopped: every answered event is stored, and the stores are closed');
        process.exit(0);
      } catch (error) {
        log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Closes the server: no new connections; resolves once every connection is closed, forced after `graceMs`. */
function closeHttp(server: Server, graceMs: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    // A request still coming in on an open connection is answered, and its connection closed after it.
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    });
    // close() closes the idle keep-alive connections once; those whose answer ends later are closed as they go idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => {
      log(`requests still in flight after ${graceMs} ms: closing their connections`);
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
  });
}
