import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/**
 * Body-parser refusals (a body that is not JSON: 400; too large: 413) are client errors
 * with a status of their own, not server faults: answer them plainly, without a stack
 * trace in the log. Everything else goes to Nest's own handling.
 */
@Catch()
export class BodyParserErrorsFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const status = (error as { status?: unknown; type?: unknown } | null)?.status;
    const type = (error as { type?: unknown } | null)?.type;
    if (!(error instanceof HttpException) && typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      host
        .switchToHttp()
        .getResponse<Response>()
        .status(status)
        .json({ statusCode: status, error: type, message: `${(error as Error).message}: nothing of this request was stored` });
      return;
    }
    super.catch(error, host);
  }
}
