/**
 * Issue 13, goal 3: `explain` of every figure with `--limit 1000` against the whole report,
 * both as whole commands (the compiled CLI, process start included) on the same ledger in the
 * same run; and what the index by (type, position) costs the demo's load.
 *
 *   BENCH_ONLY=explain   BENCH_SCALE=0.1 (the demo's scale)
 *   BENCH_LEDGER_DB=<sqlite file> BENCH_READ_MODELS_DB=<file>: explain on that ledger (read
 *   models caught up first) instead of the one loaded here; the load part is then skipped.
 *   BENCH_KNOWN_AT (default 2021-03-15T00:00:00Z), BENCH_YEAR (default 2020).
 *
 * The load part: the demo's history loaded once in process as `ledger demo` loads it
 * (bench/main-job.ts; its indexes built at its end), then the type index dropped and built
 * again alone, timed against the load.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { demoHistory, demoTextBatches } from '@ledger/demo';
import { HistoryLoader, historyInMemory, historyOfTexts, ReplayClock } from '@ledger/ingest';
import { BULK_LOAD_CACHE_MIB } from '@ledger/store';
import { SqliteEventStore, TYPE_INDEX } from '@ledger/store/sqlite';
import { parsePeriod } from '@ledger/projection-kit';
import { catchUpAll, computeReport, explainFigure, SqliteProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_SOURCES, PROJECTIONS } from '@ledger/projections';
import { median, seconds } from './bench-support';

const CLI = join(__dirname, '..', 'apps', 'cli', 'src', 'main.js');

interface Ledger {
  readonly file: string;
  readonly readModels: string;
  readonly dir: string;
}

/** `ledger <args>` on a ledger, timed from spawn to exit, with its whole standard output. */
async function ledger(on: Ledger, args: readonly string[]): Promise<{ seconds: number; stdout: string }> {
  const t = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=32', CLI, ...args], {
    env: {
      ...process.env,
      LEDGER_DB: `sqlite:${on.file}`,
      READ_MODELS_DB: on.readModels,
      API_KEYS_DB: join(on.dir, 'explain-api-keys.db'),
      LEDGER_SIGNING_KEY: join(on.dir, 'explain-signing-key.pem'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 65_536) stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const s = seconds(t);
  if (code !== 0) throw new Error(`ledger ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  return { seconds: s, stdout: Buffer.concat(out).toString() };
}

/** The demo's history at `scale` loaded in process as `ledger demo` loads it (its indexes, the type index among them, built at the end). */
async function load(file: string, scale: number): Promise<{ seconds: number; events: number }> {
  const clock = new ReplayClock();
  const store = new SqliteEventStore(file, { clock: clock.now, cacheMiB: BULK_LOAD_CACHE_MIB });
  try {
    const t = process.hrtime.bigint();
    const texts = demoTextBatches({ seed: 1, scale });
    const history = texts ? historyOfTexts(texts) : historyInMemory(demoHistory({ seed: 1, scale }).batches());
    const loaded = await new HistoryLoader(store, clock).load(history).finally(() => texts?.return());
    return { seconds: seconds(t), events: loaded.events };
  } finally {
    await store.close();
  }
}

/**
 * What the index by (type, position) costs the load: a load of an empty ledger builds every
 * index once at its end (EVENT_INDEXES), so the cost is that build, timed again here.
 */
async function loadCost(dir: string, scale: number): Promise<string> {
  console.log(`\n## What the index by (type, position) costs the load (\`ledger demo\`'s, in process, scale ${scale})`);
  const file = join(dir, 'explain-indexed.db');
  const loaded = await load(file, scale);
  const store = new SqliteEventStore(file);
  store.connection.exec(`DROP INDEX ${TYPE_INDEX.name}`);
  const t = process.hrtime.bigint();
  store.connection.exec(TYPE_INDEX.create);
  const built = seconds(t);
  await store.close();
  console.log(`- the load, its indexes built at its end: ${loaded.seconds.toFixed(1)} s (${Math.round(loaded.events / loaded.seconds).toLocaleString('en')} ev/s)`);
  console.log(`- the type index alone built again: ${built.toFixed(1)} s, ${(built / loaded.seconds).toFixed(3)} x the load`);
  return file;
}

export async function benchExplainFigures(dir: string): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 0.1);
  const given = process.env.BENCH_LEDGER_DB;
  const file = given ?? (await loadCost(dir, scale));
  const on: Ledger = { file, readModels: process.env.BENCH_READ_MODELS_DB ?? join(dir, 'explain-read-models.db'), dir };
  const year = process.env.BENCH_YEAR ?? '2020';
  const knownAt = process.env.BENCH_KNOWN_AT ?? '2021-03-15T00:00:00Z';
  const period = parsePeriod(`${year}-01-01`, `${year}-12-31`);
  const now = new Date().toISOString();
  const store = new SqliteEventStore(file, { migrate: false, create: false });
  const states = new SqliteProjectionStateStore(on.readModels);
  try {
    // The read models caught up once (saved), so that every timed call finds them at the head.
    await catchUpAll(store, states, PROJECTIONS);
    const report = async (): Promise<number> => {
      const t = process.hrtime.bigint();
      await computeReport(store, states, FIGURE_SOURCES, { period, knownAt, now, save: false });
      return seconds(t);
    };
    const figures = Object.keys((await computeReport(store, states, FIGURE_SOURCES, { period, knownAt, now, save: false })).figures);
    console.log(`\n## \`explain <figure> --limit 1000\` of every figure (${figures.length}) against the whole report, in process, ${file} (${(await store.head()).position.toLocaleString('en')} events), ${year} as known at ${knownAt}`);
    console.log('(the report timed 3 times before every 10 figures, the median taken; 2 shared cores, other work beside)');
    console.log('| figure | listed / count | explain s | report s | explain / report |');
    console.log('|---|---|---|---|---|');
    const ratios: Array<[number, string]> = [];
    let reportSeconds = 0;
    for (const [i, figure] of figures.entries()) {
      if (i % 10 === 0) reportSeconds = median([await report(), await report(), await report()]);
      const t = process.hrtime.bigint();
      const explained = await explainFigure(store, states, FIGURE_SOURCES, { figure, period, knownAt, now, save: false, limit: 1000 });
      const s = seconds(t);
      ratios.push([s / reportSeconds, figure]);
      console.log(`| ${figure} | ${explained.events.length} / ${explained.eventCount} | ${s.toFixed(3)} | ${reportSeconds.toFixed(3)} | ${(s / reportSeconds).toFixed(2)} |`);
    }
    ratios.sort((a, b) => a[0] - b[0]);
    const worst = ratios[ratios.length - 1];
    console.log(`- median ${(ratios[Math.floor(ratios.length / 2)]?.[0] ?? 0).toFixed(2)} x the report; worst ${worst?.[0].toFixed(2)} x (${worst?.[1]}); target <= 2`);
  } finally {
    await states.close();
    await store.close();
  }
  // The two figures and the largest counters as whole commands, each after the report.
  const args = ['--from', `${year}-01-01`, '--to', `${year}-12-31`, '--known-at', knownAt];
  console.log('\n## As whole commands (process start included), each after `ledger report`');
  for (const figure of ['key.courses-started', 'key.certificates', 'survey.responses', 'impact.positive-progressions']) {
    const shown = await ledger(on, ['report', ...args, '--format', 'json']);
    const explained = await ledger(on, ['explain', figure, ...args, '--limit', '1000', '--format', 'json']);
    console.log(`- \`ledger explain ${figure} --limit 1000 --format json\`: ${explained.seconds.toFixed(2)} s; \`ledger report\` ${shown.seconds.toFixed(2)} s; ${(explained.seconds / shown.seconds).toFixed(2)} x  (target <= 2)`);
  }
}
