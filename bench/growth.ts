/**
 * Growth (issue 13, goal 7): time and peak memory of `ledger report`, `ledger rebuild` and
 * `ledger verify`, each a whole command (process start included), on the demo ledger at
 * several scales, with the growth per doubling of the log.
 *
 *   BENCH_ONLY=growth   BENCH_GROWTH_SCALES=0.1,0.5,1 (scale 1: 11 million events, long to load)
 *   BENCH_GROWTH_DIR=<dir>: keeps the ledgers there (`demo-<scale>.db`) and reuses them on the next run
 *   BENCH_GROWTH_LEDGERS=<scale>=<dir>,...: a demo ledger already loaded at that scale, taken as
 *     it is: `<dir>/ledger.db` and its read models `<dir>/rm.db` (the layout of `ledger demo`
 *     run with LEDGER_DB=sqlite:<dir>/ledger.db READ_MODELS_DB=<dir>/rm.db); `rebuild` writes
 *     that rm.db, so give a copy. Its demo column is left empty (not loaded here).
 *
 * Peak memory is the process's maximum resident set (GNU time's %M). Each other ledger is made
 * by `ledger demo --scale S` (its time is printed too: the main job's own growth).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

interface Run {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly status: number | null;
  readonly stdout: string;
}

const CLI = join(__dirname, '..', 'apps', 'cli', 'src', 'main.js');
const TIME = '/usr/bin/time';

/** One CLI command, timed by GNU time (elapsed seconds and peak RSS) when present, else by the clock alone. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Run {
  const node = [process.execPath, '--max-semi-space-size=32', CLI, ...args];
  if (existsSync(TIME)) {
    const run = spawnSync(TIME, ['-f', 'GROWTH %e %M', ...node], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
    const measured = /GROWTH ([\d.]+) (\d+)/.exec(run.stderr);
    return { seconds: Number(measured?.[1]), rssMiB: Number(measured?.[2]) / 1024, status: run.status, stdout: run.stdout };
  }
  const t0 = process.hrtime.bigint();
  const run = spawnSync(node[0] as string, node.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, rssMiB: Number.NaN, status: run.status, stdout: run.stdout };
}

/** Growth per doubling between two sizes: (b / a) ^ (1 / log2(size ratio)). */
function perDoubling(a: number, b: number, sizeRatio: number): string {
  if (!(a > 0 && b > 0 && sizeRatio > 1)) return '-';
  return `x${((b / a) ** (1 / Math.log2(sizeRatio))).toFixed(2)}`;
}

/** BENCH_GROWTH_LEDGERS: the directory of an existing demo ledger by scale. */
function givenLedgers(): Map<number, string> {
  const given = new Map<number, string>();
  for (const entry of (process.env.BENCH_GROWTH_LEDGERS ?? '').split(',').filter((e) => e !== '')) {
    const [scale, where] = entry.split('=');
    if (!scale || !where || !existsSync(join(where, 'ledger.db'))) throw new Error(`BENCH_GROWTH_LEDGERS: ${entry} names no <scale>=<dir> holding ledger.db`);
    given.set(Number(scale), where);
  }
  return given;
}

export async function benchGrowth(dir: string): Promise<void> {
  const given = givenLedgers();
  const scales = [...new Set([...(process.env.BENCH_GROWTH_SCALES ?? '0.1,0.5,1').split(',').filter((e) => e !== '').map(Number), ...given.keys()])].sort((a, b) => a - b);
  const keep = process.env.BENCH_GROWTH_DIR;
  const where = keep ?? dir;
  mkdirSync(where, { recursive: true });
  console.log(`\n## Growth: report, rebuild and verify at scales ${scales.join(', ')} (whole commands; 2 shared cores, other work runs beside them)`);
  const rows: Array<{ scale: number; events: number; runs: Record<string, Run> }> = [];
  for (const scale of scales) {
    const existing = given.get(scale);
    const files = existing
      ? { LEDGER_DB: `sqlite:${join(existing, 'ledger.db')}`, READ_MODELS_DB: join(existing, 'rm.db') }
      : { LEDGER_DB: `sqlite:${join(where, `demo-${scale}.db`)}`, READ_MODELS_DB: join(where, `demo-${scale}-read-models.db`) };
    // The API keys and the signing key a command may open: in the bench's directory, never the checkout's ./data.
    const env = { ...process.env, ...files, API_KEYS_DB: join(where, 'growth-api-keys.db'), LEDGER_SIGNING_KEY: join(existing ?? where, existing ? 'key.pem' : 'growth-signing-key.pem') };
    const runs: Record<string, Run> = {};
    if (!existing) runs.demo = runCli(['demo', '--scale', String(scale)], env);
    runs.report = runCli(['report', '--from', '2020-01-01', '--to', '2020-12-31'], env);
    runs.rebuild = runCli(['rebuild'], env);
    runs.verify = runCli(['verify'], env);
    const events = Number(/^verified (\d+) events/.exec(runs.verify.stdout)?.[1] ?? Number.NaN);
    rows.push({ scale, events, runs });
    const line = Object.entries(runs).map(([name, r]) => `${name} ${r.seconds.toFixed(1)} s ${r.rssMiB.toFixed(0)} MiB${r.status === 0 ? '' : ` (exit ${r.status})`}`);
    console.log(`- scale ${scale}: ${events.toLocaleString('en')} events: ${line.join('; ')}`);
  }
  const names = ['demo', 'report', 'rebuild', 'verify'];
  console.log(`\n| scale | events | ${names.map((n) => `${n} s | ${n} MiB`).join(' | ')} |`);
  console.log(`|---|---|${names.map(() => '---|---|').join('')}`);
  for (const row of rows) {
    const cells = names.map((n) => {
      const run = row.runs[n];
      return run ? `${run.seconds.toFixed(1)} | ${run.rssMiB.toFixed(0)}` : '- | -';
    });
    console.log(`| ${row.scale} | ${row.events.toLocaleString('en')} | ${cells.join(' | ')} |`);
  }
  for (let i = 1; i < rows.length; i += 1) {
    const [a, b] = [rows[i - 1], rows[i]];
    if (!a || !b) continue;
    const ratio = b.events / a.events;
    const growth = names.map((n) => `${n} time ${perDoubling(a.runs[n]?.seconds ?? 0, b.runs[n]?.seconds ?? 0, ratio)}, memory ${perDoubling(a.runs[n]?.rssMiB ?? 0, b.runs[n]?.rssMiB ?? 0, ratio)}`);
    console.log(`- per doubling of the log from scale ${a.scale} to ${b.scale} (x${ratio.toFixed(2)} events): ${growth.join('; ')} (x2.00 is linear)`);
  }
}
