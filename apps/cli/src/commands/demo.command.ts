import type { INestApplicationContext } from '@nestjs/common';
import { demoHistory, demoTargets, demoTextBatches, PUBLICATION_KNOWN_AT } from '@ledger/demo';
import type { HistoryStart } from '@ledger/ingest';
import { HistoryLoader, historyInMemory, historyOfTexts, NotAPrefixError, ReplayClock } from '@ledger/ingest';
import type { ReportDocument } from '@ledger/projection-runtime';
import { comparePublished } from '@ledger/projection-runtime';
import { catchUpAll } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { openEventStore } from '@ledger/store';
import { cliEnvironment } from '../cli-environment';
import { PROJECTIONS } from '@ledger/projections';
import type { CliIo } from '../cli-io';
import type { Interrupts } from '../interrupts';
import { INTERRUPTED, listenForInterrupts } from '../interrupts';
import { formatCommitmentRevisions, formatComparison, formatTable } from '../report-format';
import { TerminalProgress } from '../progress';
import { describedReportOf, reportOf } from './report.command';

export interface DemoOptions {
  readonly seed: number;
  readonly scale: number;
}

/**
 * The first half of `ledger demo`, before the application starts: the demo years, streamed
 * from the generator, loaded into the ledger, each daily batch recorded at its own moment (a
 * replay clock). An empty ledger is loaded from the first batch; a ledger that an
 * interrupted demo load left (the first batches of the same seed and scale, whole) is
 * loaded from the next one, ending as an uninterrupted load would; a ledger that already
 * holds them is left as it is. Any other ledger is refused (exit 2): the demo does not mix
 * its years into other events. SIGINT or SIGTERM rolls back the batches in progress (exit 130): whole daily batches are
 * appended a group at a time (HistoryLoader), each group in one transaction.
 */
export async function loadDemo(options: DemoOptions, io: CliIo, interrupts?: Interrupts): Promise<number> {
  const clock = new ReplayClock();
  const environment = cliEnvironment();
  const store = await openEventStore(environment.LEDGER_DB, { create: true, clock: clock.now, writeWaitMs: environment.LEDGER_WRITE_WAIT_MS, bulkLoad: true, notice: (message) => io.err(message) });
  const what = `the demo years (seed ${options.seed}, scale ${options.scale})`;
  const again = `npm run --silent ledger -- demo --seed ${options.seed} --scale ${options.scale}`;
  const started = process.hrtime.bigint();
  let month = '';
  try {
    const history = demoHistory(options);
    // What this run loaded, at the rate it measured: the estimate of what is left (a resumed load counts from where it resumed).
    let resumedAt = 0;
    let loadStarted = started;
    const eta = (events: number, share: number): string => {
      const seconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
      const rate = (events - resumedAt) / seconds;
      if (!(share > 0.01 && share < 1 && rate > 0 && seconds > 1)) return '';
      const left = Math.max(0, events / share - events);
      return ` (${Math.round(rate).toLocaleString('en-US')} events/s; about ${Math.round(left / rate)} s left for about ${Math.round(left).toLocaleString('en-US')} more)`;
    };
    const loader = new HistoryLoader(store, clock, {
      ...(history.lastRecordedAt !== undefined ? { lastRecordedAt: history.lastRecordedAt } : {}),
      ...(interrupts ? { signal: interrupts.signal } : {}),
      onStart: (start) => {
        resumedAt = start.kind === 'resume' ? start.events : 0;
        loadStarted = process.hrtime.bigint();
        io.err(startLine(start, what));
      },
      onBatch: (kept) => {
        const recordedAt = kept.recordedAt ?? '';
        if (recordedAt.slice(0, 7) === month) return;
        month = recordedAt.slice(0, 7);
        io.err(`  recorded up to ${recordedAt.slice(0, 10)}: ${kept.events.toLocaleString('en-US')} events${eta(kept.events, history.shareRecordedBy(recordedAt))}`);
      },
      onIndexesBuilt: (seconds) => io.err(`  built the ledger's indexes, deferred to the end of the load into the empty ledger: ${seconds.toFixed(1)} s`),
    });
    try {
      // Made and checked on a worker thread while this one appends, where there is a second core.
      const texts = demoTextBatches(options);
      const loaded = await loader.load(texts ? historyOfTexts(texts) : historyInMemory(history.batches())).finally(() => texts?.return());
      if (loaded.start.kind !== 'complete') {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        io.err(`loaded ${loaded.events.toLocaleString('en-US')} events in ${loaded.batches} batches (${seconds.toFixed(0)} s, ${Math.round(loaded.events / Math.max(seconds, 1e-9)).toLocaleString('en-US')} events/s)`);
      }
      const late = interrupts?.received();
      if (late) {
        io.err(`${late} came once the load was complete: ${what} are all in the ledger; run \`${again}\` for the report`);
        return INTERRUPTED;
      }
      return 0;
    } catch (error) {
      const signal = interrupts?.received();
      if (signal && loader.comparing) {
        io.err(`interrupted by ${signal} while comparing the ledger with ${what}: nothing was written; the ledger is as it was.`);
        io.err(`Run \`${again}\` again to resume.`);
        return INTERRUPTED;
      }
      if (signal) {
        const kept = loader.kept;
        const holds =
          kept.batches === 0
            ? `none of ${what}`
            : `the first ${kept.batches} batches of ${what}, whole (${kept.events.toLocaleString('en-US')} events, recorded up to ${kept.recordedAt})`;
        io.err(`interrupted by ${signal}: nothing of the batches in progress was stored; the ledger keeps ${holds}.`);
        io.err(`Run \`${again}\` again to resume from there.`);
        return INTERRUPTED;
      }
      if (error instanceof NotAPrefixError) {
        io.err(`${what}: ${error.message}`);
        return 2;
      }
      throw error;
    }
  } finally {
    await store.close();
  }
}

function startLine(start: HistoryStart, what: string): string {
  switch (start.kind) {
    case 'empty':
      return `loading ${what} into the empty ledger, one recording batch a day:`;
    case 'resume':
      return (
        `resuming the interrupted load of ${what}: the ledger holds its first ${start.batches} batches whole ` +
        `(${start.events.toLocaleString('en-US')} events, recorded up to ${start.recordedAt}); loading from the next one:`
      );
    case 'complete': {
      const after = start.after > 0 ? `, and ${start.after.toLocaleString('en-US')} events recorded after them` : '';
      return `the ledger already holds ${what} (${start.events.toLocaleString('en-US')} events, recorded up to ${start.recordedAt})${after}: reporting on them as they are`;
    }
  }
}

/**
 * The second half: the read models brought up to date, the 2020 report as known at its
 * publication (every family of KPIS.md version 2: the populations with data coverage, free
 * users and mentors, the levers, outcomes by cohort, the committee's commitments with their
 * labels) next to the published figures (at scale 1, `reference-figures.json`; at another
 * scale, the demo's scaled targets) and the attainment the report's levers table reads,
 * 2019's published figures, what the corrections recorded since publication restate, and
 * the 2021 commitments as known at publication against as known now (one was revised since).
 */
export async function demoReport(app: INestApplicationContext, options: DemoOptions, io: CliIo): Promise<number> {
  const store = app.get<EventStore>(EVENT_STORE);
  const progress = new TerminalProgress();
  progress.phase('read models', (await store.head()).position);
  await catchUpAll(store, app.get<ProjectionStateStore>(PROJECTION_STATES), PROJECTIONS, { onProgress: (p) => progress.advance(p) });
  progress.stop();

  const targets = demoTargets(options.scale);
  const label = options.scale === 1 ? 'published in the 2021 mission report (reference-figures.json)' : `the demo's targets at scale ${options.scale}`;
  let reproduced = true;
  let atPublication: ReportDocument | undefined; // 2020's, shown and compared with now below
  for (const published of targets.periods) {
    const described = await describedReportOf(app, { from: published.from, to: published.to, knownAt: PUBLICATION_KNOWN_AT });
    const report = described.report;
    let expected = published;
    if (published.from === '2020-01-01') {
      atPublication = report;
      io.out(`${formatTable(report, described.definitions)}\n`);
      // The levers table of the report: which of the committee's 2020 commitments were attained (null: no baseline).
      expected = { ...published, counts: { ...published.counts, ...targets.attainment2020 } };
    }
    const rows = comparePublished(expected, report.figures);
    reproduced &&= rows.every((r) => r.matches);
    io.out(`${published.from.slice(0, 4)}: computed as known at ${PUBLICATION_KNOWN_AT} next to the figures ${label}\n${formatComparison(rows)}\n`);
  }

  atPublication ??= await reportOf(app, { from: '2020-01-01', to: '2020-12-31', knownAt: PUBLICATION_KNOWN_AT });
  const now = await reportOf(app, { from: '2020-01-01', to: '2020-12-31' });
  const restated = Object.keys(now.figures).filter((id) => now.figures[id] !== atPublication.figures[id]);
  const byTime = restated.some((id) => id.startsWith('outcomes.cohort.')) ? ', and by the 180-day windows of graduates that closed since (outcomes.cohort.*)' : '';
  io.out(
    `2020 as known now (log position ${now.logPosition.toLocaleString('en-US')}) against as known at publication (position ${atPublication.logPosition.toLocaleString('en-US')}): ${restated.length} figures restated by the ${(now.logPosition - atPublication.logPosition).toLocaleString('en-US')} events recorded since${byTime}`,
  );
  for (const id of restated) io.out(`  ${id}: ${atPublication.figures[id]} -> ${now.figures[id]}`);

  // The 2021 commitments, set in February 2021: as the 2021 report could state them, and as the committee has revised them since.
  const year2021 = { from: '2021-01-01', to: '2021-12-31' };
  io.out(`\n${formatCommitmentRevisions(await describedReportOf(app, { ...year2021, knownAt: PUBLICATION_KNOWN_AT }), await describedReportOf(app, year2021))}`);
  io.out('\nNext: `npm run --silent ledger -- explain <figure-id> --from 2020-01-01 --to 2020-12-31 --known-at 2021-03-15T00:00:00Z`');
  return reproduced ? 0 : 1;
}

export async function demoCommand(options: { seed: string; scale: string }, io: CliIo, withApp: (run: (app: INestApplicationContext) => Promise<number>) => Promise<void>): Promise<void> {
  const parsed = { seed: Number(options.seed), scale: Number(options.scale) };
  if (!Number.isInteger(parsed.seed) || !(parsed.scale >= 0.005 && parsed.scale <= 1)) {
    io.err(`--seed must be an integer and --scale within [0.005, 1], not ${options.seed} and ${options.scale}`);
    process.exitCode = 2;
    return;
  }
  const interrupts = listenForInterrupts(io);
  let loaded: number;
  try {
    loaded = await loadDemo(parsed, io, interrupts);
  } finally {
    // The report that follows only reads and saves read models: Ctrl-C then stops it at once, as any reading command.
    interrupts.dispose();
  }
  if (loaded !== 0) {
    process.exitCode = loaded;
    return;
  }
  await withApp((app) => demoReport(app, parsed, io));
}
