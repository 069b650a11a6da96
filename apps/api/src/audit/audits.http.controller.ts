import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import { AuditQuery } from '@ledger/application';
import { TrustedKeyError, UnknownPublicationError } from '@ledger/application';
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

  @ApiPropertyOptional({ type: [String], description: 'signed checkpoints the auditor holds (C2SP notes, as GET /checkpoint gives them): each must be signed by the ledger key and contained in the log' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  trusted?: string[];

  @ApiPropertyOptional({ description: "the ledger's vkey the trusted checkpoints are checked with (default: the ledger's own key file)" })
  @IsOptional()
  @IsString()
  logKey?: string;

  @ApiPropertyOptional({ type: [String], description: "witnesses' vkeys: their cosignatures on the trusted checkpoints are verified and listed" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  witnessKeys?: string[];
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
      const trusted =
        body.trusted === undefined
          ? {}
          : {
              trusted: {
                checkpoints: body.trusted.map((note, i) => ({ source: `trusted[${i}]`, note })),
                ...(body.logKey !== undefined ? { logVkey: body.logKey } : {}),
                witnessVkeys: body.witnessKeys ?? [],
              },
            };
      audit = await this.queries.execute(new AuditQuery({ ...request, ...(body.published !== undefined ? { published: body.published } : {}), ...trusted }));
    } catch (error) {
      if (error instanceof UnknownPublicationError) throw fieldError('published', `${error.message} (see GET /publications)`);
      if (error instanceof TrustedKeyError) throw fieldError(error.field, error.message);
      throw error;
    }
    const job = this.jobs.start('audit', caller, { ...request.period, knownAt: request.knownAt, published: body.published ?? null, trusted: body.trusted?.length ?? 0 }, audit);
    return { jobId: job.id };
  }
}
