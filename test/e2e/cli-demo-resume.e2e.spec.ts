import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import type { CliExit } from '../support/run-cli';
import { exitOf, runCli, spawnCli, waitFor } from '../support/run-cli';

const SCALE = '0.005';

/**
 * An interrupted demo load, run again, goes on from its last complete batch, and the ledger
 * ends as after a load that was never interrupted: same events at the same positions with
 * the same recordedAt and payloads, verifying clean, and the same report. Not the same
 * hashes: a ledger made now has leaf v2, whose salts are random per event (docs/erasure.md),
 * so two loads of the same events have different Merkle roots by design. The compiled CLI
 * on real SQLite files, at a small scale.
 */
describe('ledger demo and load-history, interrupted and run again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-demo-resume-'));
  const files = (name: string) => ({ ledgerDb: `sqlite:${join(dir, `${name}.db`)}`, env: { READ_MODELS_DB: join(dir, `${name}-read-models.db`) } });
  const reference = files('reference');
  let uninterrupted: { demo: ReturnType<typeof runCli>; verified: string; events: number };

  beforeAll(() => {
    const demo = runCli(['demo', '--scale', SCALE], reference.ledgerDb, reference.env);
    expect(demo.status).toBe(0);
    const verify = runCli(['verify'], reference.ledgerDb);
    expect(verify.status).toBe(0);
    uninterrupted = { demo, verified: verify.stdout.trim(), events: Number(/^verified (\d+) events/.exec(verify.stdout)?.[1]) };
    expect(uninterrupted.events).toBeGreaterThan(10_000);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every column of the log but the salt-derived ones (salt, commitment, leaf hash, chain), in position order. */
  function contentOf(ledgerDb: string): string {
    const reader = new Database(ledgerDb.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
    try {
      const rows = reader
        .prepare('SELECT position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, leaf_version, erased FROM events ORDER BY position')
        .raw(true)
        .all();
      return JSON.stringify(rows);
    } finally {
      reader.close();
    }
  }

  /** `verify` clean over as many events as the uninterrupted load, holding the same events. */
  function expectSameLog(target: ReturnType<typeof files>): void {
    const verified = runCli(['verify'], target.ledgerDb);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^verified ${uninterrupted.events} events: hash chain and leaf hashes intact`));
    expect(contentOf(target.ledgerDb) === contentOf(reference.ledgerDb)).toBe(true);
  }

  /** Spawns the CLI and sends `signal` once its stderr matches `marker`; resolves with its exit. */
  async function interruptWhen(args: string[], target: ReturnType<typeof files>, marker: RegExp, signal: NodeJS.Signals): Promise<CliExit> {
    const child = spawnCli(args, target.ledgerDb, target.env);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let ended = false;
    const exit = exitOf(child).finally(() => (ended = true));
    await waitFor(`${marker} on stderr`, () => marker.test(stderr), { stopped: () => ended, timeoutMs: 240_000 });
    child.kill(signal);
    return exit;
  }

  it('resumes a demo load killed (SIGKILL), then interrupted (SIGINT), and ends with the same log and report', async () => {
    const target = files('interrupted');
    // A kill -9 in the middle of the load: no chance to say anything, the batch in progress is lost.
    const killed = await interruptWhen(['demo', '--scale', SCALE], target, /recorded up to 2019-04/, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = runCli(['verify'], target.ledgerDb);
    expect(afterKill.status).toBe(0);

    // Run again: it says it resumes and from where; Ctrl-C once it has gone on a while.
    const interrupted = await interruptWhen(['demo', '--scale', SCALE], target, /recorded up to 2020-02/, 'SIGINT');
    const resumed = /resuming the interrupted load of the demo years \(seed 1, scale 0\.005\): the ledger holds its first (\d+) batches whole \(([\d,]+) events/.exec(interrupted.stderr);
    expect(resumed).not.toBeNull();
    expect(afterKill.stdout).toMatch(new RegExp(`^verified ${resumed?.[2]?.replace(/,/g, '')} events`));
    expect(interrupted.signal).toBeNull();
    expect(interrupted.status).toBe(130);
    const kept = /interrupted by SIGINT: nothing of the batches in progress was stored; the ledger keeps the first (\d+) batches of the demo years \(seed 1, scale 0\.005\), whole \(([\d,]+) events/.exec(interrupted.stderr);
    expect(kept).not.toBeNull();
    expect(interrupted.stderr).toContain('Run `npm run --silent ledger -- demo --seed 1 --scale 0.005` again to resume from there.');
    expect(Number(kept?.[1])).toBeGreaterThan(Number(resumed?.[1]));
    expect(interrupted.stdout).toBe(''); // no report from a load that did not finish
    expect(runCli(['verify'], target.ledgerDb).stdout).toMatch(new RegExp(`^verified ${kept?.[2]?.replace(/,/g, '')} events`));

    // Once more: it resumes from there, completes, and reports exactly as the uninterrupted run.
    const completed = runCli(['demo', '--scale', SCALE], target.ledgerDb, target.env);
    expect(completed.stderr).toContain(`the ledger holds its first ${kept?.[1]} batches whole (${kept?.[2]} events`);
    expect(completed.status).toBe(0);
    expect(completed.stdout).toBe(uninterrupted.demo.stdout);
    expectSameLog(target);

    // And a run on the complete ledger loads nothing.
    const again = runCli(['demo', '--scale', SCALE], target.ledgerDb, target.env);
    expect(again.stderr).toMatch(
      new RegExp(`the ledger already holds the demo years \\(seed 1, scale 0\\.005\\) \\(${uninterrupted.events.toLocaleString('en-US')} events, recorded up to 2021-\\d\\d-\\d\\dT01:00:00\\.000Z\\): reporting on them as they are`),
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(uninterrupted.demo.stdout);
  }, 600_000);

  it('refuses to mix the demo into a ledger that holds other events, and leaves that ledger as it was', () => {
    const target = files('foreign');
    const other = join(dir, 'other.ndjson');
    writeFileSync(other, toNdjson(syntheticEvents(20, 3)));
    expect(runCli(['import', other], target.ledgerDb).status).toBe(0);
    const before = runCli(['verify'], target.ledgerDb).stdout;
    const run = runCli(['demo', '--scale', SCALE], target.ledgerDb, target.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the demo years \(seed 1, scale 0\.005\): the ledger is not a prefix of this history \(position 1 holds event [0-9a-f-]+ \(\w+, recorded at [^)]+\), where the history's batch 1 \(recorded at 2019-01-01T01:00:00\.000Z\) has event [0-9a-f-]+\)/);
    expect(run.stdout).toBe('');
    expect(runCli(['verify'], target.ledgerDb).stdout).toBe(before);
  }, 120_000);

  it('resumes an interrupted load-history (SIGTERM) of the demo file, to the same log as the demo', async () => {
    const file = join(dir, 'demo.ndjson');
    expect(runCli(['generate', '--out', file, '--scale', SCALE], reference.ledgerDb).status).toBe(0);
    const batches = (JSON.parse(readFileSync(`${file}.batches.json`, 'utf8')) as unknown[]).length;
    const target = files('history');
    const db = join(dir, 'history.db');
    const child = spawnCli(['load-history', file], target.ledgerDb, target.env);
    let ended = false;
    const exit = exitOf(child).finally(() => (ended = true));
    // In progress: some batches are committed (a reader sees them), far from all.
    const head = (): number => {
      if (!existsSync(db)) return 0;
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return (reader.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
      } catch {
        return 0; // the table is not there yet
      } finally {
        reader.close();
      }
    };
    await waitFor('some batches loaded', () => head() > 5000, { stopped: () => ended, timeoutMs: 240_000 });
    child.kill('SIGTERM');
    const stopped = await exit;
    expect(stopped.status).toBe(130);
    const kept = /interrupted by SIGTERM: nothing of the batches in progress was stored; the ledger keeps its first (\d+) of (\d+) batches whole \((\d+) events/.exec(stopped.stderr);
    expect(kept).not.toBeNull();
    expect(Number(kept?.[2])).toBe(batches);
    const [keptBatches, keptEvents] = [Number(kept?.[1]), Number(kept?.[3])];
    expect(stopped.stderr).toContain(`Run \`ledger load-history ${file}\` again to resume from there.`);
    expect(head()).toBe(keptEvents);

    const resumed = runCli(['load-history', file], target.ledgerDb);
    expect(resumed.stderr).toContain(`resuming the interrupted load of ${file}: the ledger holds its first ${keptBatches} of ${batches} batches whole (${keptEvents} events`);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(`loaded .*: ${uninterrupted.events - keptEvents} events in ${batches - keptBatches} recording batches, after the ${keptBatches} batches kept from an interrupted load`),
    );
    expectSameLog(target);

    const again = runCli(['load-history', file], target.ledgerDb);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`is already loaded: the ledger holds its ${uninterrupted.events} events, recorded up to`);
  }, 600_000);
});
