import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ApiKey } from '@ledger/auth';
import { RebuildCommand, UnknownProjectionError } from '@ledger/application';
import { CallerKey } from '../auth/authenticated-request';
import { Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ErrorResponse, JobStartedResponse } from '../openapi/response.dto';
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
    private readonly commands: CommandBus,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start a rebuild of one projection or all; follow it at GET /jobs/{jobId} (admin)' })
  @ApiAcceptedResponse({ type: JobStartedResponse })
  @ApiBadRequestResponse({ description: 'no projection of that name', type: ErrorResponse })
  @ApiConflictResponse({ description: 'a rebuild is running already', type: ErrorResponse })
  async rebuild(@Body() body: RebuildRequest, @CallerKey() caller: ApiKey): Promise<{ jobId: string }> {
    let rebuild;
    try {
      // An unknown projection is refused here, before the 202; the rebuild runs when the job subscribes.
      rebuild = await this.commands.execute(new RebuildCommand(body.projection));
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw fieldError('projection', error.message);
      throw error;
    }
    const job = this.jobs.start('rebuild', caller, { projection: body.projection ?? null }, rebuild);
    return { jobId: job.id };
  }
}
