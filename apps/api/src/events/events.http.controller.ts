import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppendedEvent } from '../../../../libs/store/src/event-store.port';
import { Roles } from '../auth/roles.decorator';
import { APPENDED_EVENTS, EVENTS_REFUSED } from '../openapi/schemas';
import { AppendEventsCommand } from './append-events.command';

/**
 * `POST /events`: one event (an object) or a batch (an array), all or nothing.
 * 201 when something was appended, 200 when every event was already present,
 * 400 with the field errors, 409 on a conflict (see EventsRejectedFilter).
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
  @ApiBadRequestResponse({ description: 'every field error; nothing stored', schema: EVENTS_REFUSED })
  @ApiConflictResponse({ description: 'an eventId reused with other content; nothing stored', schema: EVENTS_REFUSED })
  @ApiPayloadTooLargeResponse({ description: 'a body over 8 MB; nothing stored' })
  async append(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ events: AppendedEvent[] }> {
    const raws = Array.isArray(body) ? body : [body];
    const events = await this.commandBus.execute(new AppendEventsCommand(raws));
    const appended = events.some((e) => e.status === 'appended');
    response.status(appended ? HttpStatus.CREATED : HttpStatus.OK);
    return { events };
  }
}
