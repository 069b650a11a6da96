import { closeSync, mkdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { openPrivateFile } from '@ledger/files';
import type { Clock } from '@ledger/store';
import type { AuthenticatedRequest } from '../auth/authenticated-request';

export const DEFAULT_API_AUDIT_LOG = './data/api-requests.log';

/** One line of the request log: who asked to change what, and what they were answered. */
export interface RequestLogEntry {
  readonly time: string;
  /** The key that made the request; null when it had none, or not a valid one (401). */
  readonly keyId: string | null;
  readonly keyName: string | null;
  readonly role: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** The methods that change nothing: not logged. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The append-only log of the requests that change something (every method but GET, HEAD and
 * OPTIONS), refused ones included: a JSON line each (API_AUDIT_LOG), written when the
 * exchange is over (answered, or the client gone). The file is opened for appending only
 * (O_APPEND) and never rewritten; each line is one write, so lines never interleave.
 */
export class RequestLog {
  private fd: number | undefined;
  private failing = false;
  private readonly logger = new Logger('request log');

  constructor(
    readonly file: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    // 0600: it names who did what, and the keys' names.
    this.fd = openPrivateFile(file, 'a');
  }

  append(entry: RequestLogEntry): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
      this.failing = false;
    } catch (error) {
      // A full or read-only disk: the answer has gone already, and throwing here (in a socket's
      // 'close' handler) would end the process. Said once, until a line is written again.
      if (!this.failing) this.logger.error(`${this.file}: a request could not be logged: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  /** Express middleware: put first, so even requests refused before routing (413, malformed JSON) are logged. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (!READS.has(request.method)) {
      response.once('close', () => {
        const key = (request as AuthenticatedRequest).apiKey;
        this.append({
          time: this.clock().toISOString(),
          keyId: key?.id ?? null,
          keyName: key?.name ?? null,
          role: key?.role ?? null,
          method: request.method,
          path: request.originalUrl.split('?')[0] ?? request.originalUrl,
          status: response.statusCode,
        });
      });
    }
    next();
  };

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
