import { Body, Controller, HttpStatus, Post, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppendedEvent } from '@ledger/store';
import { Roles } from '../auth/roles.decorator';
import { LedgerWritesInterceptor } from '../health/write-health';
import { fieldError } from '../http/bad-request';
import { APPENDED_EVENTS, ERROR, EVENTS_REFUSED, STORE_FAILURE } from '../openapi/schemas';
import { AppendEventsCommand } from './append-events.command';

/**
 * `POST /events`: one event (an object) or a batch (an array), all or nothing.
 * 201 when something was appended, 200 when every event was already present,
 * 400 with the field errors, 409 on a conflict (see EventsRejectedFilter), 503 when the
 * store cannot write (StoreFailureFilter).
 */
@ApiTags('events')
@Controller('events')
@Roles('ingest')
export class EventsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Append one event (an object) or a batch (an array) of EVENTS.md, all or nothing (ingest)' })
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } })
  @ApiCreatedResponse({ description: 'appended', schema: APPENDED_EVENTS })
  @ApiOkResponse({ description: 'every event was already present', schema: APPENDED_EVENTS })
  @ApiBadRequestResponse({
    description: 'the field errors (the first 100; errorCount: all), a key named twice in one object, or an empty batch; nothing stored',
    schema: EVENTS_REFUSED,
  })
  @ApiConflictResponse({ description: 'an eventId reused with other content; nothing stored', schema: EVENTS_REFUSED })
  @ApiPayloadTooLargeResponse({ description: 'a body over 8 MB; nothing stored' })
  @ApiUnsupportedMediaTypeResponse({ description: 'a body that is not application/json; nothing stored', schema: ERROR })
  @ApiTooManyRequestsResponse({ description: 'more requests than the key may make in the window (Retry-After); nothing stored', schema: ERROR })
  @ApiServiceUnavailableResponse({ description: 'the store cannot write now: disk full, read-only, busy, unavailable (Retry-After); nothing stored', schema: STORE_FAILURE })
  @UseInterceptors(LedgerWritesInterceptor)
  async append(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ events: AppendedEvent[] }> {
    // An empty batch appends nothing, and is almost surely a sender's mistake: said, not answered 200.
    if (Array.isArray(body) && body.length === 0) throw fieldError('(body)', 'the batch is empty: send at least one event (nothing was stored)');
    const raws = Array.isArray(body) ? body : [body];
    const events = await this.commandBus.execute(new AppendEventsCommand(raws));
    const appended = events.some((e) => e.status === 'appended');
    response.status(appended ? HttpStatus.CREATED : HttpStatus.OK);
    return { events };
  }
}
