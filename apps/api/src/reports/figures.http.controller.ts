import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FigureCatalogue } from '@ledger/projection-kit';
import { catalogueOf } from '@ledger/projection-kit';
import type { FigureSource } from '@ledger/projection-kit';
import { definitionsOf } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { PeriodRequest, periodRequestOf } from '../http/period-request';
import { ErrorResponse, FigureCatalogueResponse } from '../openapi/response.dto';

/**
 * The figure catalogue of a period: every figure id a report of that period gives, with its
 * labels (en, fr), unit, what it counts and its display group. The dashboard draws every
 * figure from it, so a family registered in projections/figures.ts shows there with no edit.
 * Read from the registry alone: no read model is brought up to date for it.
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class FiguresHttpController {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('figures')
  @ApiOperation({ summary: 'The figure catalogue of a period: ids, labels (en, fr), units, rules and display groups (committee, auditor, admin)' })
  @ApiOkResponse({ description: 'the groups, then every figure in report order', type: FigureCatalogueResponse })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to', type: ErrorResponse })
  catalogue(@Query() query: PeriodRequest): FigureCatalogue {
    const { period } = periodRequestOf(query, this.clock());
    return catalogueOf(definitionsOf(this.sources), period);
  }
}
