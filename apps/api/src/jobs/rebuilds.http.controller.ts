import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import { rebuildAll } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { PROJECTIONS } from '@ledger/projections';
import { CallerKey } from '../auth/authenticated-request';
import { Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ReadModelsQueue } from '../read-models/read-models.queue';
import { ERROR, JOB_STARTED } from '../openapi/schemas';
import { JobsService } from './jobs.service';

export class RebuildRequest {
  @ApiPropertyOptional({ description: 'the projection to rebuild; every projection when left out', example: 'impact' })
  @IsOptional()
  @IsString()
  projection?: string;
}

/** `ledger rebuild [projection]` as a job: the read models built again from position 0. */
@ApiTags('jobs')
@Controller('rebuilds')
@Roles('admin')
export class RebuildsHttpController {
  constructor(
    private readonly jobs: JobsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start a rebuild of one projection or all; follow it at GET /jobs/{jobId} (admin)' })
  @ApiAcceptedResponse({ schema: JOB_STARTED })
  @ApiBadRequestResponse({ description: 'no projection of that name', schema: ERROR })
  @ApiConflictResponse({ description: 'a rebuild is running already', schema: ERROR })
  rebuild(@Body() body: RebuildRequest, @CallerKey() caller: ApiKey): { jobId: string } {
    const chosen = body.projection === undefined ? PROJECTIONS : PROJECTIONS.filter((p) => p.name === body.projection);
    if (chosen.length === 0) {
      throw fieldError('projection', `no projection named ${JSON.stringify(body.projection)}; there are: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
    }
    const job = this.jobs.start('rebuild', caller, { projection: body.projection ?? null }, async (progress) => {
      progress('waiting for the reports in progress', 0, 0);
      return this.queue.run(async () => {
        const head = (await this.store.head()).position;
        progress('rebuilding', 0, head);
        const started = process.hrtime.bigint();
        const results = await rebuildAll(this.store, this.states, chosen, { onProgress: (position) => progress('rebuilding', position, Math.max(head, position)) });
        return {
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          projections: chosen.map((p, i) => ({ name: p.name, version: p.version, position: results[i]?.position ?? 0 })),
        };
      });
    });
    return { jobId: job.id };
  }
}
