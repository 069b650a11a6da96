import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { AppendedEvent } from '../../../../libs/store/src/event-store.port';
import { AppendEventsCommand } from './append-events.command';

/**
 * `POST /events`: one event (an object) or a batch (an array), all or nothing.
 * 201 when something was appended, 200 when every event was already present,
 * 400 with the field errors, 409 on a conflict (see EventsRejectedFilter).
 */
@Controller('events')
export class EventsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
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
