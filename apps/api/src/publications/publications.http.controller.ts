import { Body, ConflictException, Controller, Get, Inject, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { SealedPublication } from '@ledger/audit';
import { PUBLICATION_ID, PUBLICATION_ID_RULE } from '@ledger/events';
import { PublicationRefusedError, publishReport, sealedPublications } from '@ledger/audit';
import { computeReport } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { Clock, EventStore } from '@ledger/store';
import { WrongExpectedRevisionError } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-kit';
import { READERS, Roles } from '../auth/roles.decorator';
import { ReadModelsQueue } from '../read-models/read-models.queue';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { LedgerWritesInterceptor } from '../health/write-health';
import { ERROR, PUBLICATION, PUBLISHED, STORE_FAILURE } from '../openapi/schemas';

export class PublishRequest extends PeriodRequest {
  @ApiPropertyOptional({
    description: 'the publication id, used once (default: report-<from>-<to>-known-at-<knownAt>)',
    example: 'mission-report-2020',
  })
  @IsOptional()
  @IsString()
  @Matches(PUBLICATION_ID, { message: PUBLICATION_ID_RULE })
  publicationId?: string;
}

/** Sealed publications: read them, and record a report in the log itself (`ledger publish`). */
@ApiTags('publications')
@Controller('publications')
@Roles(...READERS)
export class PublicationsHttpController {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queue: ReadModelsQueue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every sealed publication, in log order (committee, auditor, admin)' })
  @ApiOkResponse({ schema: { type: 'array', items: PUBLICATION } })
  list(): Promise<SealedPublication[]> {
    return sealedPublications(this.store);
  }

  @Post()
  @ApiOperation({ summary: "Record the period's report in the log, sealed with the Merkle root and size of the log (committee, auditor, admin)" })
  @ApiCreatedResponse({ schema: PUBLISHED })
  @ApiBadRequestResponse({ description: 'as /reports, and a malformed publicationId', schema: ERROR })
  @ApiConflictResponse({ description: 'the publication id exists already (a corrected report is a new publication), or the log does not verify', schema: ERROR })
  @ApiServiceUnavailableResponse({ description: 'the store cannot write now: disk full, read-only, busy, unavailable (Retry-After); nothing stored', schema: STORE_FAILURE })
  @UseInterceptors(LedgerWritesInterceptor)
  async publish(@Body() body: PublishRequest) {
    const request = periodRequestOf(body, this.clock());
    const report = await this.queue.run(() => computeReport(this.store, this.states, this.sources, request));
    const publicationId = body.publicationId ?? `report-${report.period.from}-${report.period.to}-known-at-${report.knownAt}`;
    try {
      const { appended, seal } = await publishReport(this.store, report, { publicationId, eventId: randomUUID(), occurredAt: request.now });
      return { publicationId, eventId: appended.eventId, position: appended.position, recordedAt: appended.recordedAt, seal, report };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw conflict(`publication ${JSON.stringify(publicationId)} already exists: a corrected report is a new publication`, 'publicationId');
      }
      if (error instanceof PublicationRefusedError) throw conflict(error.message);
      throw error;
    }
  }
}

function conflict(message: string, field?: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, ...(field ? { field } : {}) });
}
