import { BadRequestException, ConflictException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { HttpException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ProofBundle } from '@ledger/audit';
import { ConsistencyRequestError, ProofError } from '@ledger/audit';
// The use case's query; `ProofQuery` below is this route's query string.
import { ConsistencyProofQuery, ProofAtQuery, ProofQuery as ProveEventQuery } from '@ledger/application';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ConsistencyProofResponse, ErrorResponse, ProofBundleResponse } from '../openapi/response.dto';

export class ProofQuery {
  @ApiPropertyOptional({ description: 'a publication id: prove the event in the tree that publication sealed', example: 'mission-report-2020' })
  @IsOptional()
  @IsString()
  against?: string;
}

export class ConsistencyQuery {
  @ApiProperty({ description: 'the older tree size (a checkpoint held)', example: '1000' })
  @IsString()
  from!: string;

  @ApiProperty({ description: 'the newer tree size, at most the head', example: '2000' })
  @IsString()
  to!: string;
}

/** A query parameter that must be a tree size: a whole number, 0 or more; else 400 naming it. */
function treeSize(field: 'from' | 'to', text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw fieldError(field, `${field} must be a whole number, 0 or more (got ${JSON.stringify(text.slice(0, 40))})`);
  return Number(text);
}

/** Why no proof can be given, as an HTTP answer naming what was wrong. */
function refusal(error: ProofError, by: 'eventId' | 'position' = 'eventId'): HttpException {
  const body = (statusCode: number, name: string, field?: string) => ({ statusCode, error: name, message: error.message, ...(field ? { field } : {}) });
  switch (error.kind) {
    case 'unknown-event':
      return new NotFoundException(body(404, 'Not Found', by));
    case 'unknown-publication':
    case 'not-in-sealed-tree':
      return new BadRequestException(body(400, 'Bad Request', 'against'));
    case 'altered-log':
      return new ConflictException(body(409, 'Conflict'));
  }
}

/** `ledger proof` over HTTP: the bundle `tools/verify-proof.js` checks without the ledger. */
@ApiTags('audit')
@Controller('proofs')
@Roles(...AUDITORS)
export class ProofsHttpController {
  constructor(private readonly queries: QueryBus) {}

  // Before `:eventId`, which would take `consistency` for an event id.
  @Get('consistency')
  @ApiOperation({ summary: 'The RFC 9162 consistency proof from the tree of `from` events to the tree of `to` events (auditor, admin): what a witness checks a new checkpoint with' })
  @ApiOkResponse({ type: ConsistencyProofResponse })
  @ApiBadRequestResponse({ description: 'from or to not a whole number, from > to, or to beyond the head (field from or to)', type: ErrorResponse })
  async consistency(@Query() query: ConsistencyQuery): Promise<ConsistencyProofResponse> {
    const from = treeSize('from', query.from);
    const to = treeSize('to', query.to);
    try {
      const answer = await this.queries.execute(new ConsistencyProofQuery(from, to));
      return { from: answer.from, to: answer.to, proof: answer.proof.map((hash) => hash.toString('base64')) };
    } catch (error) {
      if (error instanceof ConsistencyRequestError) throw fieldError(error.field, error.message);
      throw error;
    }
  }

  @Get('positions/:position')
  @ApiOperation({ summary: 'The proof of the event at a log position: how an erased event is proved, its id gone; the bundle says `payload: "erased"` (auditor, admin)' })
  @ApiOkResponse({ type: ProofBundleResponse })
  @ApiNotFoundResponse({ description: 'no event at this position', type: ErrorResponse })
  @ApiBadRequestResponse({ description: 'position is not an integer from 1; no such publication, or the event is after its seal (field against)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the log was altered: no proof is given', type: ErrorResponse })
  async proofAt(@Param('position') position: string, @Query() query: ProofQuery): Promise<ProofBundle> {
    if (!/^[1-9][0-9]{0,15}$/.test(position) || !Number.isSafeInteger(Number(position))) throw fieldError('position', `position must be a log position, an integer from 1, not ${JSON.stringify(position)}`);
    try {
      return await this.queries.execute(new ProofAtQuery(Number(position), query.against));
    } catch (error) {
      if (error instanceof ProofError) throw refusal(error, 'position');
      throw error;
    }
  }

  @Get(':eventId')
  @ApiOperation({ summary: "An event's proof of inclusion in the log, or in the tree a publication sealed (auditor, admin)" })
  @ApiOkResponse({ type: ProofBundleResponse })
  @ApiNotFoundResponse({ description: 'no event with this id', type: ErrorResponse })
  @ApiBadRequestResponse({ description: 'no such publication, or the event is after its seal (field against)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the log was altered: no proof is given', type: ErrorResponse })
  async proof(@Param('eventId') eventId: string, @Query() query: ProofQuery): Promise<ProofBundle> {
    try {
      return await this.queries.execute(new ProveEventQuery(eventId, query.against));
    } catch (error) {
      if (error instanceof ProofError) throw refusal(error);
      throw error;
    }
  }
}
