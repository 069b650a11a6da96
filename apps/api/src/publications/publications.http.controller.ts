import { Body, ConflictException, Controller, Get, Inject, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
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
import { PublicationRefusedError, sealedPublications } from '@ledger/audit';
import { PublicationExistsError, PublishCommand } from '@ledger/application';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { LedgerWritesInterceptor } from '../health/write-health';
import { ErrorResponse, PublicationResponse, PublishedResponse, StoreFailureResponse } from '../openapi/response.dto';

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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every sealed publication, in log order (committee, auditor, admin)' })
  @ApiOkResponse({ type: [PublicationResponse] })
  list(): Promise<SealedPublication[]> {
    return sealedPublications(this.store);
  }

  @Post()
  @ApiOperation({ summary: "Record the period's report in the log, sealed with the Merkle root and size of the log (committee, auditor, admin)" })
  @ApiCreatedResponse({ type: PublishedResponse })
  @ApiBadRequestResponse({ description: 'as /reports, and a malformed publicationId', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the publication id exists already (a corrected report is a new publication), or the log does not verify', type: ErrorResponse })
  @ApiServiceUnavailableResponse({ description: 'the store cannot write now: disk full, read-only, busy, unavailable (Retry-After); nothing stored', type: StoreFailureResponse })
  @UseInterceptors(LedgerWritesInterceptor)
  async publish(@Body() body: PublishRequest) {
    const request = periodRequestOf(body, this.clock());
    const { publicationId } = body;
    try {
      // The shell makes the id and reads the clock; the handler computes the report and the seal.
      const published = await this.commands.execute(new PublishCommand({ ...request, ...(publicationId !== undefined ? { publicationId } : {}), eventId: randomUUID() }));
      const { appended, seal, report, checkpoint, publicKey } = published;
      // As `ledger publish --out`: with the signed checkpoint of the sealed tree and the key that signed it.
      return { publicationId: published.publicationId, eventId: appended.eventId, position: appended.position, recordedAt: appended.recordedAt, seal, checkpoint, publicKey, report };
    } catch (error) {
      if (error instanceof PublicationExistsError) {
        throw conflict(`publication ${JSON.stringify(error.publicationId)} already exists: a corrected report is a new publication`, 'publicationId');
      }
      if (error instanceof PublicationRefusedError) throw conflict(error.message);
      throw error;
    }
  }
}

function conflict(message: string, field?: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, ...(field ? { field } : {}) });
}
