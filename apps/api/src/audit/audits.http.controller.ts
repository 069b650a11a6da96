import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { map } from 'rxjs';
import { QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import type { AuditDocuments } from '@ledger/application';
import { AuditDocumentsQuery } from '@ledger/application';
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

/** The documents of the latest audits, by job id, kept as long as the jobs service keeps a job (in memory). */
const KEPT_DOCUMENTS = 100;

/**
 * `ledger audit` as a job, through the same use case (AuditDocumentsQuery): its findings with
 * their metadata (docs/audit.md) are the job's result; the JSON as hashed and the Markdown that
 * prints its SHA-256 are served byte for byte.
 */
@ApiTags('audit')
@Controller('audits')
@Roles(...AUDITORS)
export class AuditsHttpController {
  private readonly documents = new Map<string, AuditDocuments>();

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
  async audit(@Body() body: AuditRequest, @CallerKey() caller: ApiKey, @Req() http: Request): Promise<{ jobId: string }> {
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
      // The exact request, in place of a command line: the body as sent (not as validated), and who sent it.
      const invocation = { request: { method: http.method, path: http.originalUrl, body: http.body as unknown, by: { keyId: caller.id, name: caller.name, role: caller.role } } };
      audit = await this.queries.execute(
        new AuditDocumentsQuery({ ...request, ...(body.published !== undefined ? { published: body.published } : {}), ...trusted }, invocation, 'findings.json'),
      );
    } catch (error) {
      if (error instanceof UnknownPublicationError) throw fieldError('published', `${error.message} (see GET /publications)`);
      if (error instanceof TrustedKeyError) throw fieldError(error.field, error.message);
      throw error;
    }
    let jobId = '';
    const findings = audit.pipe(
      map((event) => {
        if (event.type !== 'result') return event;
        this.keep(jobId, event.result);
        return { type: 'result' as const, result: event.result.findings };
      }),
    );
    const job = this.jobs.start('audit', caller, { ...request.period, knownAt: request.knownAt, published: body.published ?? null, trusted: body.trusted?.length ?? 0 }, findings);
    jobId = job.id;
    return { jobId: job.id };
  }

  @Get(':jobId/findings.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: "A finished audit's JSON findings, byte for byte as hashed: the SHA-256 the Markdown prints is this text's (auditor, admin)" })
  @ApiOkResponse({ description: 'the findings, `metadata` first', content: { 'application/json': { schema: { type: 'object' } } } })
  @ApiNotFoundResponse({ description: 'no such audit job visible to the caller, or not finished', type: ErrorResponse })
  findingsJson(@Param('jobId') jobId: string, @CallerKey() caller: ApiKey): string {
    return this.finished(jobId, caller).json;
  }

  @Get(':jobId/findings.md')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiOperation({ summary: "A finished audit's Markdown report: its metadata (time, ledger version and commit, the request, the public key) and the SHA-256 of findings.json (auditor, admin)" })
  @ApiOkResponse({ description: 'the Markdown report', content: { 'text/markdown': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'no such audit job visible to the caller, or not finished', type: ErrorResponse })
  findingsMarkdown(@Param('jobId') jobId: string, @CallerKey() caller: ApiKey): string {
    return this.finished(jobId, caller).markdown;
  }

  private keep(jobId: string, documents: AuditDocuments): void {
    this.documents.set(jobId, documents);
    for (const old of [...this.documents.keys()].slice(0, Math.max(0, this.documents.size - KEPT_DOCUMENTS))) this.documents.delete(old);
  }

  private finished(jobId: string, caller: ApiKey): AuditDocuments {
    const documents = this.jobs.find(jobId, caller)?.kind === 'audit' ? this.documents.get(jobId) : undefined;
    if (!documents) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no finished audit job ${jobId} visible to role ${caller.role}` });
    return documents;
  }
}
