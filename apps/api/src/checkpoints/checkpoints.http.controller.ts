import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LatestCheckpointQuery } from '@ledger/application';
import { READERS, Roles } from '../auth/roles.decorator';
import { ErrorResponse } from '../openapi/response.dto';

/** The latest signed checkpoint, as a C2SP signed note (text): what witnesses fetch. */
@ApiTags('audit')
@Controller('checkpoint')
@Roles(...READERS)
export class CheckpointsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The latest checkpoint the ledger signed (C2SP tlog-checkpoint, a signed note, text/plain) (committee, auditor, admin)' })
  @ApiOkResponse({ description: 'the signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'the ledger signed no checkpoint yet', type: ErrorResponse })
  async latest(): Promise<string> {
    const latest = await this.queries.execute(new LatestCheckpointQuery());
    if (!latest) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'the ledger signed no checkpoint yet (`ledger checkpoint`, or CHECKPOINT_EVERY_EVENTS / CHECKPOINT_EVERY_MINUTES)' });
    return latest.note;
  }
}
