import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requireProject } from './test-project';

export const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let scratch: string | undefined;

/**
 * The environment of a CLI run: the files a command keeps (read models, signing key) default
 * beside a SQLite ledger, or in a folder of this test process, never in the checkout's ./data;
 * a spec that names them (or asserts the defaults) sets them itself.
 */
function cliEnv(ledgerDb: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const beside = ledgerDb.startsWith('sqlite:') ? dirname(ledgerDb.slice('sqlite:'.length)) : (scratch ??= mkdtempSync(join(tmpdir(), 'ledger-cli-')));
  return { READ_MODELS_DB: join(beside, 'read-models.db'), LEDGER_SIGNING_KEY: join(beside, 'signing-key.pem'), ...process.env, LEDGER_DB: ledgerDb, ...env };
}

/** Runs the compiled CLI (built by test/global-setup.js, for the e2e project only) against the given store. */
export function runCli(args: readonly string[], ledgerDb: string, env: Record<string, string> = {}): CliRun {
  requireProject(['e2e'], 'the compiled CLI');
  const run = spawnSync(process.execPath, [CLI, ...args], {
    env: cliEnv(ledgerDb, env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function spawnCli(args: readonly string[], ledgerDb: string, env: Record<string, string> = {}): ChildProcess {
  requireProject(['e2e'], 'the compiled CLI');
  return spawn(process.execPath, [CLI, ...args], { env: cliEnv(ledgerDb, env), stdio: 'pipe' });
}

export interface CliExit extends CliRun {
  /** The signal that killed the process, when one did (then `status` is null). */
  readonly signal: NodeJS.Signals | null;
}

/** Collects a spawned CLI's output until it exits. */
export function exitOf(child: ChildProcess): Promise<CliExit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
}

/** Polls `condition` every `everyMs` until it holds; fails after `timeoutMs`, or when `stopped()` says waiting is pointless. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; everyMs?: number; stopped?: () => boolean } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (await condition()) return;
    if (options.stopped?.()) throw new Error(`gave up waiting for ${what}: the process ended first`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 25));
  }
}
