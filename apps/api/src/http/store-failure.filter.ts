import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { storeFailureOf } from '@ledger/store';
import { BodyParserErrorsFilter } from '../body-parser-errors.filter';

/** The Retry-After of a 503 that names none (a PDF printer busy names its own: `retryAfter` in the body). */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

/**
 * Every 503 says when to try again: the `retryAfter` (seconds) of its body when it has one,
 * else DEFAULT_RETRY_AFTER_SECONDS; a Retry-After already set is kept.
 */
export function withRetryAfter(error: HttpException, response: Response): void {
  if (response.headersSent || response.hasHeader('Retry-After')) return;
  const body = error.getResponse();
  const given = typeof body === 'object' && body !== null ? (body as { retryAfter?: unknown }).retryAfter : undefined;
  const seconds = typeof given === 'number' && Number.isInteger(given) && given > 0 ? given : DEFAULT_RETRY_AFTER_SECONDS;
  response.setHeader('Retry-After', String(seconds));
}

/**
 * A store that cannot work now (disk full, read-only, its lock held too long, no answer) is
 * 503 with a Retry-After and the kind of failure: the caller did nothing wrong and may try
 * again, and an operator reading the answer knows what to fix. The driver's own message
 * (paths, hosts) goes to the server's log only. Everything else goes on to the body-parser
 * filter, then to Nest's own handling; a 503 of another cause (a PDF printer busy or
 * missing) gets its Retry-After here too (withRetryAfter).
 */
@Catch()
export class StoreFailureFilter extends BodyParserErrorsFilter {
  private readonly logger = new Logger('store');

  override catch(error: unknown, host: ArgumentsHost): void {
    const failure = error instanceof HttpException ? undefined : storeFailureOf(error);
    if (!failure) {
      if (error instanceof HttpException && error.getStatus() === 503) withRetryAfter(error, host.switchToHttp().getResponse<Response>());
      return super.catch(error, host);
    }
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    this.logger.warn(`${request.method} ${request.path}: ${failure.kind}: ${error instanceof Error ? error.message : String(error)}`);
    const writes = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    response.setHeader('Retry-After', String(failure.retryAfterSeconds));
    response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      kind: failure.kind,
      message: writes ? `${failure.message}: nothing of this request was stored` : failure.message,
      retryAfter: failure.retryAfterSeconds,
    });
  }
}
