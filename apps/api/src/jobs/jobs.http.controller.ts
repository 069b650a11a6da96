import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKey } from '@ledger/auth';
import { CallerKey } from '../auth/authenticated-request';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { ERROR, JOB } from '../openapi/schemas';
import type { Job } from './jobs.service';
import { JobsService } from './jobs.service';

/** Long work started from the API (audits, rebuilds) and how far it has got. */
@ApiTags('jobs')
@Controller('jobs')
@Roles(...AUDITORS)
export class JobsHttpController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'The jobs the caller may see (those started by its role; an admin sees all), latest first (auditor, admin)' })
  @ApiOkResponse({ schema: { type: 'array', items: JOB } })
  list(@CallerKey() caller: ApiKey): Job[] {
    return this.jobs.list(caller);
  }

  @Get(':jobId')
  @ApiOperation({ summary: "A job's state and progress, and when done its result (auditor, admin)" })
  @ApiOkResponse({ schema: JOB })
  @ApiNotFoundResponse({ description: 'no such job, or one started by another role', schema: ERROR })
  find(@Param('jobId') id: string, @CallerKey() caller: ApiKey): Job {
    const job = this.jobs.find(id, caller);
    if (!job) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no job ${id} visible to role ${caller.role}` });
    return job;
  }
}
