import { BadRequestException, ConflictException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { HttpException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ProofBundle } from '@ledger/audit';
import { buildProofBundle, ProofError } from '@ledger/audit';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { ERROR, PROOF_BUNDLE } from '../openapi/schemas';

export class ProofQuery {
  @ApiPropertyOptional({ description: 'a publication id: prove the event in the tree that publication sealed', example: 'mission-report-2020' })
  @IsOptional()
  @IsString()
  against?: string;
}

/** Why no proof can be given, as an HTTP answer naming what was wrong. */
function refusal(error: ProofError): HttpException {
  const body = (statusCode: number, name: string, field?: string) => ({ statusCode, error: name, message: error.message, ...(field ? { field } : {}) });
  switch (error.kind) {
    case 'unknown-event':
      return new NotFoundException(body(404, 'Not Found', 'eventId'));
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
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':eventId')
  @ApiOperation({ summary: "An event's proof of inclusion in the log, or in the tree a publication sealed (auditor, admin)" })
  @ApiOkResponse({ schema: PROOF_BUNDLE })
  @ApiNotFoundResponse({ description: 'no event with this id', schema: ERROR })
  @ApiBadRequestResponse({ description: 'no such publication, or the event is after its seal (field against)', schema: ERROR })
  @ApiConflictResponse({ description: 'the log was altered: no proof is given', schema: ERROR })
  async proof(@Param('eventId') eventId: string, @Query() query: ProofQuery): Promise<ProofBundle> {
    try {
      return await buildProofBundle(this.store, eventId, query.against);
    } catch (error) {
      if (error instanceof ProofError) throw refusal(error);
      throw error;
    }
  }
}
