import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FigureCatalogueView } from '@ledger/application';
import { FigureCatalogueQuery } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { ErrorResponse, FigureCatalogueResponse } from '../openapi/response.dto';

/**
 * The figure catalogue of a period as known at a moment: every figure id a report of that
 * period gives then, with its labels (en, fr), unit, what it counts and its display group,
 * the committee's commitments included (their ids and labels come from the log, as known at
 * `knownAt`). The dashboard draws every figure from it, so a family registered in
 * projections/figures.ts shows there with no edit. Only the read models of the families
 * that describe figures from the log (the commitments) are brought up to date for it.
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class FiguresHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('figures')
  @ApiOperation({ summary: 'The figure catalogue of a period as known at a moment: ids, labels (en, fr), units, rules and display groups, commitments included (committee, auditor, admin)' })
  @ApiOkResponse({ description: 'the groups, then every figure in report order', type: FigureCatalogueResponse })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to; a knownAt not RFC 3339 or in the future', type: ErrorResponse })
  catalogue(@Query() query: PeriodRequest): Promise<FigureCatalogueView> {
    return this.queries.execute(new FigureCatalogueQuery(periodRequestOf(query, this.clock())));
  }
}
