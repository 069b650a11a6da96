import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventDetailsView, LogYearsView } from '@ledger/application';
import { EventDetailsQuery, LogYearsQuery } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ErrorResponse } from '../openapi/response.dto';
import { EventDetailsRequest, EventDetailsResponse, YearsRequest, YearsResponse } from './history.dto';

/** A RangeError of a use case as a 400 naming its field (the message starts with it). */
async function asBadRequest<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RangeError) throw fieldError(/^positions:/.test(error.message) ? 'positions' : field, error.message);
    throw error;
  }
}

/**
 * What the dashboard needs beside the report: the years the log holds (its series span
 * them) and a provenance page's events in full (payload, retraction and reason).
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class HistoryHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('years')
  @ApiOperation({ summary: "The calendar years of the log's events (occurredAt), as known at a moment (committee, auditor, admin)" })
  @ApiOkResponse({ type: YearsResponse })
  @ApiBadRequestResponse({ description: 'knownAt not RFC 3339, or in the future', type: ErrorResponse })
  years(@Query() query: YearsRequest): Promise<LogYearsView> {
    const now = this.clock().toISOString();
    return asBadRequest('knownAt', () => this.queries.execute(new LogYearsQuery({ ...(query.knownAt !== undefined ? { knownAt: query.knownAt } : {}), now })));
  }

  @Get('provenance/events')
  @ApiOperation({ summary: 'Events at log positions with their payloads (none once erased) and their retraction and reason, if any (committee, auditor, admin)' })
  @ApiOkResponse({ type: EventDetailsResponse })
  @ApiBadRequestResponse({ description: 'no position, more than 200, a position that is not an integer from 1; knownAt as /reports', type: ErrorResponse })
  events(@Query() query: EventDetailsRequest): Promise<EventDetailsView> {
    const now = this.clock().toISOString();
    const items = query.positions.split(',').map((p) => p.trim());
    const bad = items.find((p) => !/^[1-9]\d{0,14}$/.test(p));
    if (bad !== undefined) throw fieldError('positions', `${JSON.stringify(bad)} is not a log position (an integer from 1); give them comma-separated`);
    const positions = items.map(Number);
    return asBadRequest('knownAt', () => this.queries.execute(new EventDetailsQuery({ positions, ...(query.knownAt !== undefined ? { knownAt: query.knownAt } : {}), now })));
  }
}
