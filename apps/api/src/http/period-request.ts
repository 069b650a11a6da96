import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { normalizeKnownAt } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import { parsePeriod } from '@ledger/projection-kit';
import { fieldError } from './bad-request';

/** `from`, `to` and `knownAt`, as the report, the provenance, a publication and an audit take them. */
export class PeriodRequest {
  @ApiProperty({ description: 'first day of the period (UTC), inclusive', example: '2020-01-01', format: 'date' })
  @IsString()
  from!: string;

  @ApiProperty({ description: 'last day of the period (UTC), inclusive; not before `from`', example: '2020-12-31', format: 'date' })
  @IsString()
  to!: string;

  @ApiPropertyOptional({
    description: 'RFC 3339 instant with an offset: the figures as the ledger knew them then (default: now; not in the future)',
    example: '2021-03-15T00:00:00Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsString()
  knownAt?: string;
}

/** The provenance of a figure: a period, a moment, and which events to list. */
export class ExplainRequest extends PeriodRequest {
  @ApiPropertyOptional({ description: 'list at most this many events, in log order (all by default); `eventCount` always gives how many', example: '1000' })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({ description: 'list only the events after this log position: the `next` of the previous page (a cursor)', example: '0' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ description: 'json, ndjson, or csv (a file to download, streamed); default: by `Accept`, JSON unless it prefers application/x-ndjson', enum: ['json', 'ndjson', 'csv'] })
  @IsOptional()
  @IsString()
  format?: string;
}

/** Two moments of one period, A not after B. */
export class ChangesRequest {
  @ApiProperty({ description: 'first day of the period (UTC), inclusive', example: '2020-01-01', format: 'date' })
  @IsString()
  from!: string;

  @ApiProperty({ description: 'last day of the period (UTC), inclusive', example: '2020-12-31', format: 'date' })
  @IsString()
  to!: string;

  @ApiProperty({ description: 'moment A, RFC 3339 with an offset', example: '2021-03-15T00:00:00Z', format: 'date-time' })
  @IsString()
  knownAtA!: string;

  @ApiProperty({ description: 'moment B, RFC 3339 with an offset, not before A', example: '2021-07-01T00:00:00Z', format: 'date-time' })
  @IsString()
  knownAtB!: string;
}

function isDay(value: string): boolean {
  try {
    parsePeriod(value, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The period and moment asked for, checked as the CLI checks them (`parsePeriod`,
 * `normalizeKnownAt`), each refusal a 400 naming its field: `from` or `to` not a calendar
 * day, `from` after `to` (named `from`), `knownAt` not RFC 3339 or in the future.
 */
export function periodRequestOf(request: PeriodRequest, now: Date): { period: Period; knownAt: string; now: string } {
  let period: Period;
  try {
    period = parsePeriod(request.from, request.to);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw fieldError(isDay(request.from) && !isDay(request.to) ? 'to' : 'from', error.message);
  }
  const instant = now.toISOString();
  try {
    return { period, knownAt: normalizeKnownAt(request.knownAt ?? instant, instant), now: instant };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw fieldError('knownAt', error.message);
  }
}
