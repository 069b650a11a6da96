import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FigureCatalogue } from '../../../../libs/projections/src/figure-catalogue';
import { catalogueOf } from '../../../../libs/projections/src/figure-catalogue';
import { definitionsOf } from '../../../../libs/projections/src/figure-report';
import { parsePeriod } from '../../../../libs/projections/src/period';
import { FIGURE_SOURCES } from '../../../../projections';
import { READERS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ERROR } from '../openapi/schemas';

/**
 * The figure catalogue for a period: every figure id a report of that period gives, with its
 * labels (fr, en), unit, what it counts and its display group. The dashboard draws every
 * figure from it, so a KPI registered in projections/figures.ts shows there with no edit.
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class FiguresHttpController {
  @Get('figures')
  @ApiOperation({ summary: 'The figure catalogue of a period: ids, labels (fr, en), units, rules and display groups (committee, auditor, admin)' })
  @ApiOkResponse({ description: '{ groups: [{ id, title: { en, fr } }], figures: [{ id, label: { en, fr }, unit, counts, group }] }' })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to', schema: ERROR })
  catalogue(@Query('from') from: unknown, @Query('to') to: unknown): FigureCatalogue {
    if (typeof from !== 'string') throw fieldError('from', 'from is required: a day, YYYY-MM-DD');
    if (typeof to !== 'string') throw fieldError('to', 'to is required: a day, YYYY-MM-DD');
    let period;
    try {
      period = parsePeriod(from, to);
    } catch (error) {
      throw fieldError(/\bto\b/.test(String(error)) ? 'to' : 'from', error instanceof Error ? error.message : String(error));
    }
    return catalogueOf(definitionsOf(FIGURE_SOURCES), period);
  }
}
