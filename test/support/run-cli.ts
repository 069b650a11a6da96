import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { requireProject } from './test-project';

export const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI (built by test/global-setup.js, for the e2e project only) against the given store. */
export function runCli(args: readonly string[], ledgerDb: string, env: Record<string, string> = {}): CliRun {
  requireProject(['e2e'], 'the compiled CLI');
  const run = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, LEDGER_DB: ledgerDb, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function spawnCli(args: readonly string[], ledgerDb: string): ChildProcess {
  requireProject(['e2e'], 'the compiled CLI');
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LEDGER_DB: ledgerDb }, stdio: 'pipe' });
}
