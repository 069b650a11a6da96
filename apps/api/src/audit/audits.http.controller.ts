import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import { AuditQuery } from '@ledger/application';
import { UnknownPublicationError } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { CallerKey } from '../auth/authenticated-request';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { JobsService } from '../jobs/jobs.service';
import { ErrorResponse, JobStartedResponse } from '../openapi/response.dto';

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
    private readonly jobs: JobsService,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Start an audit of a period: the log and every seal verified, the period replayed from the log alone, no impact by default, ' +
      'a published report checked; follow it at GET /jobs/{jobId}, whose result is the findings (auditor, admin)',
  })
  @ApiAcceptedResponse({ type: JobStartedResponse })
  @ApiBadRequestResponse({ description: 'as /reports, and an unknown publication (field published)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'an audit is running already', type: ErrorResponse })
  async audit(@Body() body: AuditRequest, @CallerKey() caller: ApiKey): Promise<{ jobId: string }> {
    const request = periodRequestOf(body, this.clock());
    let audit;
    try {
      // Refused here, before the 202, if the publication is unknown; the audit runs when the job subscribes.
      audit = await this.queries.execute(new AuditQuery({ ...request, ...(body.published !== undefined ? { published: body.published } : {}) }));
    } catch (error) {
      if (error instanceof UnknownPublicationError) throw fieldError('published', `${error.message} (see GET /publications)`);
      throw error;
    }
    const job = this.jobs.start('audit', caller, { ...request.period, knownAt: request.knownAt, published: body.published ?? null }, audit);
    return { jobId: job.id };
  }
}
