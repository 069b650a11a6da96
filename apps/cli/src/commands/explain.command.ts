import type { INestApplicationContext } from '@nestjs/common';
import type { FigureProvenance } from '../../../../libs/projections/src/explain';
import { explainFigure } from '../../../../libs/projections/src/explain';
import { parsePeriod } from '../../../../libs/projections/src/period';
import type { ProjectionStateStore } from '../../../../libs/projections/src/projection-state.store';
import { PROJECTION_STATES } from '../../../../libs/projections/src/projections.module';
import type { Clock, EventStore } from '../../../../libs/store/src/event-store.port';
import { CLOCK, EVENT_STORE } from '../../../../libs/store/src/event-store.module';
import { FIGURE_SOURCES } from '../../../../projections';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import type { ReportFormat } from '../report-format';
import { REPORT_FORMATS } from '../report-format';

const COLUMNS = ['position', 'eventId', 'type', 'learnerId', 'occurredAt', 'recordedAt'] as const;

function formatProvenance(p: FigureProvenance, format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(p, null, 2);
  const rows = p.events.map((e) => COLUMNS.map((c) => String(e[c] ?? '')));
  if (format === 'csv') return [COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\n');
  return [
    `${p.figure} = ${p.value === null ? 'null' : p.value} for ${p.period.from} to ${p.period.to}, as known at ${p.knownAt} (log position ${p.logPosition})`,
    `counts: ${p.rule}`,
    `${p.eventCount} events${p.events.length < p.eventCount ? ` (the first ${p.events.length}, in log order)` : ''}:`,
    ...[[...COLUMNS], ...rows].map((r) => r.join('  ')),
  ].join('\n');
}

/** `ledger explain <figure-id> --from --to [--known-at] [--format]`: the events that make a figure. */
export async function explainCommand(
  app: INestApplicationContext,
  figure: string,
  options: { from: string; to: string; knownAt?: string; format?: string; limit?: string },
  io: CliIo,
): Promise<number> {
  const format = (options.format ?? 'table') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    io.err(`--format must be one of ${REPORT_FORMATS.join(', ')}, not ${JSON.stringify(options.format)}`);
    return 2;
  }
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    io.err(`--limit must be a whole number of events, not ${JSON.stringify(options.limit)}`);
    return 2;
  }
  try {
    const provenance = await explainFigure(app.get<EventStore>(EVENT_STORE), app.get<ProjectionStateStore>(PROJECTION_STATES), FIGURE_SOURCES, {
      figure,
      period: parsePeriod(options.from, options.to),
      ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}),
      now: app.get<Clock>(CLOCK)().toISOString(),
      ...(limit !== undefined ? { limit } : {}),
    });
    io.out(formatProvenance(provenance, format));
    return 0;
  } catch (error) {
    return refusedInput(io, error);
  }
}
