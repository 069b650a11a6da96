/** What the benchmark scripts share: the clock, timed runs, and the API started as its own process. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Seconds since `start` (a `process.hrtime.bigint()`). */
export const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** The median of some numbers (the upper one of an even count); NaN for none. */
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * The CPU time (user + system, seconds) a process of this machine has used so far, from
 * /proc (Linux); NaN elsewhere. On a loaded machine a process's rate says how much CPU it
 * was given; its CPU time per request says what a request costs it.
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: the unit of /proc's times, 100 on Linux. */
const CLOCK_TICKS = 100;

/** A started process: the function that stops it, and its pid. */
export type StartedProcess = (() => Promise<void>) & { readonly pid: number };

/** The median and the slowest of some timed runs, in milliseconds. */
export async function timedRuns(runs: number, run: () => Promise<unknown>): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await run();
    ms.push(seconds(t) * 1000);
  }
  ms.sort((a, b) => a - b);
  return `median ${Math.round(ms[Math.floor(runs / 2)] ?? 0)} ms, slowest ${Math.round(ms[runs - 1] ?? 0)} ms`;
}

/**
 * The compiled API (dist/apps/api) as a process of its own on `port`, over `ledgerDb`, its
 * other files in `dir`; resolved once it says it listens. Gives the function that stops it.
 * `main`: another build's API (another commit's dist/apps/api/src/main.js), for a same-run comparison.
 * BENCH_API_NODE_ARGS adds node options to it, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * (the profile is written when the benchmark stops it).
 */
export async function startApiProcess(dir: string, ledgerDb: string, port: number, main = join(__dirname, '..', 'apps', 'api', 'src', 'main.js')): Promise<StartedProcess> {
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      PORT: String(port),
      LEDGER_DB: ledgerDb,
      READ_MODELS_DB: join(dir, `rm-${port}.db`),
      API_KEYS_DB: join(dir, 'api-keys.db'),
      API_AUDIT_LOG: join(dir, `requests-${port}.log`),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('impact ledger API on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return Object.assign(stop, { pid: child.pid ?? NaN });
}
