import { Body, ConflictException, Controller, Delete, HttpCode, Inject, NotFoundException, Param, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EraseLearnerCommand } from '@ledger/application';
import type { LearnerErasure } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK, ErasureRefusedError } from '@ledger/store';
import { Roles } from '../auth/roles.decorator';
import { badRequest } from '../http/bad-request';
import { LedgerWritesInterceptor } from '../health/write-health';
import { ErrorResponse, StoreFailureResponse } from '../openapi/response.dto';

export class EraseRequest {
  // Checked by the erasure's own rule (1-500 characters), which names the field when it is missing.
  @ApiPropertyOptional({ description: 'why the learner is erased, 1-500 characters; required (400 without it). No personal data: it stays in the log.', example: 'GDPR art. 17 request of 2021-05-30' })
  @IsOptional()
  @IsString()
  reason?: string;
}

class ReadModelsRebuiltResponse {
  @ApiProperty({ type: [String] }) readonly rebuilt!: string[];
  @ApiProperty() readonly seconds!: number;
}

export class ErasureResponse {
  @ApiProperty({ enum: ['erased', 'already-erased'], description: '`already-erased`: erased before, nothing changed (the first erasure\'s position)' }) readonly status!: string;
  @ApiProperty() readonly learnerId!: string;
  @ApiProperty({ type: 'integer', description: 'the position of the LearnerErased event' }) readonly position!: number;
  @ApiProperty() readonly recordedAt!: string;
  @ApiProperty({ type: 'integer', description: 'events whose personal part was removed by this call' }) readonly erasedEvents!: number;
  @ApiProperty({ description: 'PostgreSQL: the events table rewritten (VACUUM FULL)' }) readonly vacuumed!: boolean;
  @ApiProperty({ type: ReadModelsRebuiltResponse }) readonly readModels!: ReadModelsRebuiltResponse;
}

/** A learner's personal data erased (docs/erasure.md); the CLI's `ledger erase`. */
@ApiTags('learners')
@Controller('learners')
@Roles('admin')
export class LearnersHttpController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {}

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a learner's personal data (admin): LearnerErased recorded, the payloads removed, every leaf, seal and proof kept; the read models rebuilt",
    description: 'Idempotent: erasing again answers 200 with status `already-erased` and changes nothing. The reason goes in the JSON body, not the query (query strings end in access logs).',
  })
  @ApiOkResponse({ type: ErasureResponse })
  @ApiBadRequestResponse({ description: 'no reason, or a bad reason or learner id (the field named); nothing changed', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'the log holds no event of this learner; nothing changed', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the store cannot erase (KurrentDB); nothing changed', type: ErrorResponse })
  @ApiServiceUnavailableResponse({ description: 'the store cannot write now (Retry-After); nothing changed', type: StoreFailureResponse })
  @UseInterceptors(LedgerWritesInterceptor)
  async erase(@Param('id') learnerId: string, @Body() body: EraseRequest = {}): Promise<LearnerErasure> {
    try {
      // The shell makes the event id and reads the clock; the handler erases, vacuums and rebuilds.
      return await this.commands.execute(
        new EraseLearnerCommand({ learnerId, reason: body.reason ?? '', erasedAt: this.clock().toISOString(), eventId: randomUUID() }),
      );
    } catch (error) {
      if (!(error instanceof ErasureRefusedError)) throw error;
      if (error.refusal === 'invalid-request') throw badRequest(error.errors.map((e) => ({ field: e.field === 'learnerId' ? 'id' : e.field, message: `${e.field === 'learnerId' ? 'id' : e.field} ${e.message}` })));
      if (error.refusal === 'unknown-learner') throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: error.message, field: 'id' });
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: error.message });
    }
  }
}
