import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { storeFailureOf } from '@ledger/store';
import { BodyParserErrorsFilter } from '../body-parser-errors.filter';

/**
 * A store that cannot work now (disk full, read-only, its lock held too long, no answer) is
 * 503 with a Retry-After and the kind of failure: the caller did nothing wrong and may try
 * again, and an operator reading the answer knows what to fix. The driver's own message
 * (paths, hosts) goes to the server's log only. Everything else goes on to the body-parser
 * filter, then to Nest's own handling.
 */
@Catch()
export class StoreFailureFilter extends BodyParserErrorsFilter {
  private readonly logger = new Logger('store');

  override catch(error: unknown, host: ArgumentsHost): void {
    const failure = error instanceof HttpException ? undefined : storeFailureOf(error);
    if (!failure) return super.catch(error, host);
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
