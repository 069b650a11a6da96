import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommitmentsView } from '@ledger/application';
import { CommitmentsQuery } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { CommitmentsResponse, ErrorResponse } from '../openapi/response.dto';

/**
 * The committee's commitments as the log records them (labels, levers, targets): what the
 * dashboard shows each lever's target from, next to the report's `commitments.<id>.*` figures.
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class CommitmentsHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('commitments')
  @ApiOperation({ summary: "The commitments whose year begins in the period, as known at a moment: label, lever, measure and target, from their CommitmentSet (committee, auditor, admin)" })
  @ApiOkResponse({ type: CommitmentsResponse })
  @ApiBadRequestResponse({ description: 'as /reports', type: ErrorResponse })
  commitments(@Query() query: PeriodRequest): Promise<CommitmentsView> {
    return this.queries.execute(new CommitmentsQuery(periodRequestOf(query, this.clock())));
  }
}
