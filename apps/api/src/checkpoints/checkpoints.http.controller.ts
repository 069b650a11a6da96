import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, NotFoundException, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CosignatureRefusal } from '@ledger/audit';
import { CheckpointsQuery, CollectCosignaturesCommand, LatestCheckpointQuery } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { AUDITORS, READERS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { CheckpointResponse, CollectedCosignaturesResponse, ErrorResponse } from '../openapi/response.dto';

export class CosignaturesRequest {
  @ApiProperty({
    description:
      'the checkpoint a witness cosigned, as a C2SP signed note: the text the ledger signed (as GET /checkpoint serves it), a blank line, ' +
      "the ledger's signature line and one or more C2SP tlog-cosignature/v1 lines (`— <witness> <base64>`), as `ledger witness` stores it",
    example: 'ledger.example.org/impact-ledger/3f9c…\n12\nq0x…=\n\n— ledger.example.org/impact-ledger/3f9c… AbCd…\n— witness-a XyZ…\n',
  })
  @IsString()
  @MaxLength(64_000)
  note!: string;
}

export class CheckpointsListQuery {
  @ApiPropertyOptional({ description: 'at most this many of the latest checkpoints (1 to 1000; default 100)', example: '10' })
  @IsOptional()
  @IsString()
  limit?: string;
}

/** Every checkpoint kept (a witness or auditor catching up), each with its collected cosignatures. */
@ApiTags('audit')
@Controller('checkpoints')
export class CheckpointListHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The checkpoints the ledger signed and kept, oldest first (the latest `limit`), each note with the latest cosignature of each witness collected for it (committee, auditor, admin)' })
  @ApiOkResponse({ type: [CheckpointResponse] })
  @ApiBadRequestResponse({ description: 'limit not a whole number from 1 to 1000 (field limit)', type: ErrorResponse })
  async list(@Query() query: CheckpointsListQuery): Promise<CheckpointResponse[]> {
    const limit = query.limit === undefined ? 100 : /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= 1000)) throw fieldError('limit', `limit must be a whole number from 1 to 1000 (got ${JSON.stringify(String(query.limit).slice(0, 40))})`);
    return (await this.queries.execute(new CheckpointsQuery(limit))).map((c) => ({ treeSize: c.treeSize, signedAt: c.signedAt, note: c.note }));
  }
}

/** The latest signed checkpoint, as a C2SP signed note (text): what witnesses fetch; and the witnesses' cosignatures, collected. */
@ApiTags('audit')
@Controller('checkpoint')
export class CheckpointsHttpController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    summary:
      'The latest checkpoint the ledger signed (C2SP tlog-checkpoint, a signed note, text/plain), with the latest cosignature of each witness collected for it (committee, auditor, admin)',
  })
  @ApiOkResponse({ description: 'the signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'the ledger signed no checkpoint yet', type: ErrorResponse })
  async latest(): Promise<string> {
    const latest = await this.queries.execute(new LatestCheckpointQuery());
    if (!latest) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'the ledger signed no checkpoint yet (`ledger checkpoint`, or CHECKPOINT_EVERY_EVENTS / CHECKPOINT_EVERY_MINUTES)' });
    return latest.note;
  }

  @Post('cosignatures')
  @Roles(...AUDITORS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'A witness sends back a checkpoint it cosigned: each cosignature line by a witness key in LEDGER_WITNESS_KEYS that verifies is kept (append-only) and served ' +
      'with the checkpoint from then on; a line already kept is accepted again (added 0) (auditor, admin)',
  })
  @ApiOkResponse({ type: CollectedCosignaturesResponse })
  @ApiBadRequestResponse({
    description:
      'field note: a malformed note, a checkpoint the ledger never signed, a signature line by a key that is not an accepted witness, a cosignature that does not verify, ' +
      "no cosignature at all, or no witness configured (LEDGER_WITNESS_KEYS empty); nothing of the request is kept",
    type: ErrorResponse,
  })
  async cosign(@Body() body: CosignaturesRequest): Promise<CollectedCosignaturesResponse> {
    try {
      return await this.commands.execute(new CollectCosignaturesCommand(body.note, this.clock().toISOString()));
    } catch (error) {
      if (error instanceof CosignatureRefusal) throw fieldError('note', error.message);
      throw error;
    }
  }
}
