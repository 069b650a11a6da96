import { Body, ConflictException, Controller, Get, Inject, NotFoundException, Param, Post, Query, StreamableFile, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
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
import { PublicationExistsError, PublicationQuery, PublishCommand, UnknownPublicationError } from '@ledger/application';
import type { PublicationRead } from '@ledger/application';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { LedgerWritesInterceptor } from '../health/write-health';
import { ErrorResponse, PublicationResponse, PublishedResponse, StoreFailureResponse } from '../openapi/response.dto';
import { PdfRenderer } from '../reports/pdf-renderer';
import { ExportRequest, exportFile, exportOptions } from '../reports/report-exports';

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
    private readonly queries: QueryBus,
    private readonly pdf: PdfRenderer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every sealed publication, in log order (committee, auditor, admin)' })
  @ApiOkResponse({ type: [PublicationResponse] })
  list(): Promise<SealedPublication[]> {
    return sealedPublications(this.store);
  }

  @Get(':publicationId')
  @ApiOperation({
    summary: 'A sealed publication: its report as published, its seal and the signed checkpoint of the sealed tree, as `POST /publications` answered (committee, auditor, admin)',
    description: 'With `format` csv, xlsx or pdf: the publication as a file to download, its seal (Merkle root, tree size), publication id and signed checkpoint in it (docs/api.md).',
  })
  @ApiParam({ name: 'publicationId', example: 'mission-report-2020' })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiOkResponse({ type: PublishedResponse })
  @ApiBadRequestResponse({ description: 'a format or lang it does not take', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no publication of that id is sealed in the log', type: ErrorResponse })
  async read(@Param('publicationId') publicationId: string, @Query() query: ExportRequest): Promise<Omit<PublicationRead, 'definitions'> | StreamableFile> {
    const { format, lang } = exportOptions(query);
    let read: PublicationRead;
    try {
      read = await this.queries.execute(new PublicationQuery(publicationId));
    } catch (error) {
      if (error instanceof UnknownPublicationError) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: error.message, field: 'publicationId' });
      throw error;
    }
    const { definitions, ...publication } = read;
    if (format === 'json') return { publicationId: publication.publicationId, eventId: publication.eventId, position: publication.position, recordedAt: publication.recordedAt, seal: publication.seal, checkpoint: publication.checkpoint, publicKey: publication.publicKey, report: publication.report };
    return exportFile({ report: read.report, definitions, publication }, format, lang, this.pdf);
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
