import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
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
import { AppendEventsCommand } from '@ledger/application';
import type { AppendedEvent } from '@ledger/store';
import { Roles } from '../auth/roles.decorator';
import { WriteHealth } from '../health/write-health';
import { fieldError } from '../http/bad-request';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { AppendedEventsResponse, ErrorResponse, EventsRefusedResponse, StoreFailureResponse } from '../openapi/response.dto';

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
  constructor(
    private readonly commandBus: CommandBus,
    private readonly metrics: IngestMetrics,
    private readonly health: WriteHealth,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Append one event (an object) or a batch (an array) of EVENTS.md, all or nothing (ingest)' })
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } })
  @ApiCreatedResponse({ description: 'appended', type: AppendedEventsResponse })
  @ApiOkResponse({ description: 'every event was already present', type: AppendedEventsResponse })
  @ApiBadRequestResponse({
    description: 'the field errors (the first 100; errorCount: all), a key named twice in one object, or an empty batch; nothing stored',
    type: EventsRefusedResponse,
  })
  @ApiConflictResponse({ description: 'an eventId reused with other content; nothing stored', type: EventsRefusedResponse })
  @ApiPayloadTooLargeResponse({ description: 'a body over 8 MB; nothing stored' })
  @ApiUnsupportedMediaTypeResponse({ description: 'a body that is not application/json; nothing stored', type: ErrorResponse })
  @ApiTooManyRequestsResponse({ description: 'more requests than the key may make in the window (Retry-After); nothing stored', type: ErrorResponse })
  @ApiServiceUnavailableResponse({ description: 'the store cannot write now: disk full, read-only, busy, unavailable (Retry-After); nothing stored', type: StoreFailureResponse })
  async append(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ events: AppendedEvent[] }> {
    // An empty batch appends nothing, and is almost surely a sender's mistake: said, not answered 200.
    if (Array.isArray(body) && body.length === 0) throw fieldError('(body)', 'the batch is empty: send at least one event (nothing was stored)');
    const raws = Array.isArray(body) ? body : [body];
    const events = await this.observed(() => this.commandBus.execute(new AppendEventsCommand(raws)));
    const appended = events.some((e) => e.status === 'appended');
    response.status(appended ? HttpStatus.CREATED : HttpStatus.OK);
    return { events };
  }

  /**
   * The append's latency and commit size, for /metrics (a refused append counts, with nothing
   * appended), and its outcome, for WriteHealth. Told here, not by LedgerWritesInterceptor: on
   * the hottest route, an interceptor costs more than the append's own checks (rxjs, and an
   * AsyncResource per call).
   */
  private async observed(append: () => Promise<AppendedEvent[]>): Promise<AppendedEvent[]> {
    const started = process.hrtime.bigint();
    let appended = 0;
    try {
      const events = await append();
      this.health.succeeded();
      appended = events.filter((e) => e.status === 'appended').length;
      return events;
    } catch (error) {
      this.health.failed(error);
      throw error;
    } finally {
      this.metrics.observe(Number(process.hrtime.bigint() - started) / 1e9, appended);
    }
  }
}
