import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import { auditPeriod } from '@ledger/audit';
import { sealedPublications } from '@ledger/audit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import type { ReportDocument } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-kit';
import { CallerKey } from '../auth/authenticated-request';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { JobsService } from '../jobs/jobs.service';
import { ERROR, JOB_STARTED } from '../openapi/schemas';

export class AuditRequest extends PeriodRequest {
  @ApiPropertyOptional({ description: 'the id of a sealed publication to check against the log', example: 'mission-report-2020' })
  @IsOptional()
  @IsString()
  published?: string;
}

/** `ledger audit` as a job: its findings (docs/audit.md) are the job's result. */
@ApiTags('audit')
@Controller('audits')
@Roles(...AUDITORS)
export class AuditsHttpController {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    private readonly jobs: JobsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Start an audit of a period: the log and every seal verified, the period replayed from the log alone, no impact by default, ' +
      'a published report checked; follow it at GET /jobs/{jobId}, whose result is the findings (auditor, admin)',
  })
  @ApiAcceptedResponse({ schema: JOB_STARTED })
  @ApiBadRequestResponse({ description: 'as /reports, and an unknown publication (field published)', schema: ERROR })
  @ApiConflictResponse({ description: 'an audit is running already', schema: ERROR })
  async audit(@Body() body: AuditRequest, @CallerKey() caller: ApiKey): Promise<{ jobId: string }> {
    const request = periodRequestOf(body, this.clock());
    let published: ReportDocument | undefined;
    if (body.published !== undefined) {
      published = (await sealedPublications(this.store)).find((p) => p.publicationId === body.published)?.report;
      if (!published) throw fieldError('published', `no sealed publication ${JSON.stringify(body.published)} in the log (see GET /publications)`);
    }
    const job = this.jobs.start('audit', caller, { ...request.period, knownAt: request.knownAt, published: body.published ?? null }, (progress) =>
      auditPeriod(this.store, this.states, this.sources, { ...request, ...(published ? { published } : {}), onProgress: progress }),
    );
    return { jobId: job.id };
  }
}
