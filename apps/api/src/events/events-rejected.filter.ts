import { ArgumentsHost, Catch, HttpStatus } from '@nestjs/common';
import type { ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { EventsRejectedError, LISTED_ERRORS } from '@ledger/ingest';

/** A refused request: 400 for bad input, 409 for a conflict, with the first 100 errors named and how many there are. */
@Catch(EventsRejectedError)
export class EventsRejectedFilter implements ExceptionFilter {
  catch(error: EventsRejectedError, host: ArgumentsHost): void {
    const status = error.kind === 'conflict' ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        error: error.kind === 'conflict' ? 'Conflict' : 'Bad Request',
        message: 'nothing of this request was stored',
        errors: error.errors.slice(0, LISTED_ERRORS),
        errorCount: error.errors.length,
      });
  }
}
