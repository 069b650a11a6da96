import type { INestApplicationContext } from '@nestjs/common';
import { openProvenance } from '@ledger/projection-kit';
import { parsePeriod } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-kit';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import type { ReportFormat } from '../report-format';
import { formatProvenance, REPORT_FORMATS } from '../report-format';
import { isClosedPipe, writeChunks } from '../stream-writer';

/** A whole number of events or a log position, from an option; undefined when left out. */
function wholeNumber(value: string | undefined, option: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new RangeError(`${option} must be ${what}, not ${JSON.stringify(value)}`);
  return n;
}

/**
 * `ledger explain <figure-id> --from --to [--known-at] [--format] [--limit] [--after]`: the
 * events that make a figure, written to `out` as they are read from the log (bounded
 * memory, whatever their number), and how many they are.
 */
export async function explainCommand(
  app: INestApplicationContext,
  figure: string,
  options: { from: string; to: string; knownAt?: string; format?: string; limit?: string; after?: string },
  io: CliIo,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const format = (options.format ?? 'table') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    io.err(`--format must be one of ${REPORT_FORMATS.join(', ')}, not ${JSON.stringify(options.format)}`);
    return 2;
  }
  try {
    const window = { limit: wholeNumber(options.limit, '--limit', 'a whole number of events'), after: wholeNumber(options.after, '--after', 'a log position') };
    const opened = await openProvenance(app.get<EventStore>(EVENT_STORE), app.get<ProjectionStateStore>(PROJECTION_STATES), app.get<readonly FigureSource[]>(FIGURE_REGISTRY), {
      figure,
      period: parsePeriod(options.from, options.to),
      ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}),
      now: app.get<Clock>(CLOCK)().toISOString(),
    });
    await writeChunks(out, formatProvenance(opened, window, format));
    return 0;
  } catch (error) {
    if (isClosedPipe(error)) return 0;
    return refusedInput(io, error);
  }
}
