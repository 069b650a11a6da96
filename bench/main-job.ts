/**
 * The main job (issue 13, goal 1): `ledger demo` from an empty ledger to the printed comparison.
 *
 *   BENCH_ONLY=main-job   BENCH_SCALE=0.05 (the demo's scale; 1 is the full 11 million events)
 *
 * Three figures, each against a baseline measured in the same run:
 * - the demo's load (generate, validate, check references, hash, append) in process, as
 *   `ledger demo` loads now (batches made and checked on a worker thread, whole daily batches
 *   grouped into large transactions) and as it loaded before (one transaction a daily batch,
 *   all on one thread), interleaved;
 * - a bare SQLite copy of the same rows (`INSERT ... SELECT` from the loaded ledger, same
 *   schema and pragmas, no JavaScript per row), 1000 rows a transaction (MEASURED.md's) and
 *   in transactions as large as the load's;
 * - the whole command (`ledger demo --scale S`, process start to exit, the report included),
 *   with its load and report parts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { demoHistory, demoTextBatches } from '@ledger/demo';
import { HistoryLoader, historyInMemory, historyOfTexts, LOAD_GROUP_BATCHES, LOAD_GROUP_EVENTS, ReplayClock } from '@ledger/ingest';
import { BULK_LOAD_CACHE_MIB } from '@ledger/store';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { seconds } from './bench-support';

const perSecond = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en')} ev/s`;

/** The demo's batches loaded into a new SQLite ledger at `file`, in process; seconds and events. */
interface Load {
  readonly seconds: number;
  /** CPU seconds of the process, every thread (user + system): steadier than wall time on a shared machine. */
  readonly cpu: number;
  readonly events: number;
}

async function loadInProcess(file: string, scale: number, how: 'now' | 'indexed' | 'before'): Promise<Load> {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const done = (events: number): Load => {
    const cpu = process.cpuUsage(cpu0);
    return { seconds: seconds(t0), cpu: (cpu.user + cpu.system) / 1e6, events };
  };
  const clock = new ReplayClock();
  const store = new SqliteEventStore(file, { clock: clock.now, cacheMiB: BULK_LOAD_CACHE_MIB });
  try {
    const history = demoHistory({ seed: 1, scale });
    if (how === 'before') {
      // One transaction a daily batch, the batches made and checked on this thread.
      const loaded = await new HistoryLoader(store, clock, { groupEvents: 1, groupBatches: 1 }).load(historyInMemory(history.batches()));
      return done(loaded.events);
    }
    // As `ledger demo` loads: grouped, the batches made and checked on a worker thread; 'indexed': the indexes kept during the load.
    const texts = demoTextBatches({ seed: 1, scale });
    const loaded = await new HistoryLoader(store, clock, { deferIndexes: how !== 'indexed' }).load(texts ? historyOfTexts(texts) : historyInMemory(history.batches())).finally(() => texts?.return());
    return done(loaded.events);
  } finally {
    await store.close();
  }
}

/** The rows of `source` copied by SQLite alone into the ledger's schema, `perTransaction` rows a transaction. */
function bareCopy(source: string, target: string, perTransaction: number): number {
  // The ledger's own schema, made by opening a store on the new file.
  const made = new SqliteEventStore(target);
  void made.close();
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -262144');
  db.prepare('ATTACH DATABASE ? AS source').run(source);
  const last = (db.prepare('SELECT MAX(position) AS p FROM source.events').get() as { p: number }).p;
  const columns = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain, leaf_version, commitment, salt';
  const copy = db.prepare(`INSERT INTO main.events (${columns}) SELECT ${columns} FROM source.events WHERE position >= ? AND position < ? ORDER BY position`);
  const t0 = process.hrtime.bigint();
  for (let from = 1; from <= last; from += perTransaction) db.transaction(() => copy.run(from, from + perTransaction))();
  const s = seconds(t0);
  db.close();
  return s;
}

/** `ledger demo --scale S` as a user runs it: process start to exit; the load's own seconds as it prints them. */
async function wholeCommand(dir: string, scale: number): Promise<{ seconds: number; load: number; events: number; status: number | null }> {
  const env = { ...process.env, LEDGER_DB: `sqlite:${join(dir, 'cli.db')}`, READ_MODELS_DB: join(dir, 'cli-read-models.db') };
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=32', join(__dirname, '..', 'apps', 'cli', 'src', 'main.js'), 'demo', '--scale', String(scale)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const s = seconds(t0);
  const loaded = /loaded ([\d,]+) events in \d+ batches \((\d+) s/.exec(stderr);
  return { seconds: s, load: Number(loaded?.[2] ?? Number.NaN), events: Number((loaded?.[1] ?? '').replace(/,/g, '')), status };
}

export async function benchMainJob(dir: string): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 0.05);
  console.log(`\n## The main job: \`ledger demo --scale ${scale}\` on SQLite (2 shared cores; other work runs beside it: wall times vary with it, CPU seconds less)`);
  const line = (what: string, load: Load): string =>
    `${what}: ${load.events.toLocaleString('en')} events in ${load.seconds.toFixed(1)} s (${perSecond(load.events, load.seconds)}), ${load.cpu.toFixed(1)} CPU s (${Math.round((load.cpu * 1e6) / load.events)} us an event)`;
  // Interleaved: a quiet moment of the shared machine should favour neither.
  const now1 = await loadInProcess(join(dir, 'grouped-1.db'), scale, 'now');
  console.log(
    `- ${line(`load as \`ledger demo\` does it (batches made and checked on a worker thread; whole daily batches grouped, ${LOAD_GROUP_EVENTS.toLocaleString('en')} events or ${LOAD_GROUP_BATCHES} batches a transaction)`, now1)}`,
  );
  const before = await loadInProcess(join(dir, 'daily-1.db'), scale, 'before');
  console.log(`- ${line('load as before (one transaction a daily batch, made and checked on the appending thread)', before)}`);
  const now2 = await loadInProcess(join(dir, 'grouped-2.db'), scale, 'now');
  console.log(`- ${line('load as `ledger demo` does it, again', now2)}`);
  const indexed = await loadInProcess(join(dir, 'indexed.db'), scale, 'indexed');
  console.log(`- ${line('the same load with the indexes kept up to date during it (not deferred to its end: HistoryLoadOptions.deferIndexes false)', indexed)}`);
  const now = now1.seconds <= now2.seconds ? now1 : now2;
  console.log(`- now / before: ${(before.seconds / now.seconds).toFixed(2)}x as fast (wall, best of 2), ${(before.cpu / now.cpu).toFixed(2)}x less CPU`);
  console.log(`- now / indexes kept: ${(indexed.seconds / now.seconds).toFixed(2)}x as fast (wall), ${(indexed.cpu / now.cpu).toFixed(2)}x less CPU`);
  const bare1000 = bareCopy(join(dir, 'grouped-1.db'), join(dir, 'bare-1000.db'), 1000);
  const bareGroup = bareCopy(join(dir, 'grouped-1.db'), join(dir, 'bare-group.db'), LOAD_GROUP_EVENTS);
  console.log(`- baseline, bare SQLite copy of the same rows (INSERT ... SELECT, same schema and pragmas), 1000 a transaction: ${bare1000.toFixed(1)} s (${perSecond(now.events, bare1000)}); the load: ${(bare1000 / now.seconds).toFixed(2)}x its rate`);
  console.log(`- baseline, the same copy ${LOAD_GROUP_EVENTS.toLocaleString('en')} a transaction: ${bareGroup.toFixed(1)} s (${perSecond(now.events, bareGroup)}); the load: ${(bareGroup / now.seconds).toFixed(2)}x its rate`);
  const cli = await wholeCommand(dir, scale);
  console.log(
    `- the whole command, process start to the printed comparison (exit ${cli.status}): ${cli.seconds.toFixed(1)} s, of which the load ${cli.load} s ` +
      `(${perSecond(cli.events, cli.load)}) and the read models and report ${(cli.seconds - cli.load).toFixed(0)} s`,
  );
}
