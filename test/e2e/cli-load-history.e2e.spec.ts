import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toNdjson } from '../../bench/synthetic-events';
import { admitted, learnerActive, pathEnded, surveyAnswered } from '../support/event-builders';
import { runCli } from '../support/run-cli';

describe('ledger load-history (a recorded history into an empty ledger, with its transaction time)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-history-'));
    db = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeHistory(lines: string[], batches: Array<{ recordedAt: string; fromLine: number; toLine: number }>): string {
    const file = join(dir, 'history.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    writeFileSync(`${file}.batches.json`, JSON.stringify(batches));
    return file;
  }

  it('records each batch at its own moment', () => {
    const lines = toNdjson([
      surveyAnswered(1, 'a', '2020-01-02T10:00:00+01:00'),
      admitted(2, 'a', 'A1', '2020-01-03T10:00:00+01:00'),
      learnerActive(3, 'a', '2020-02-01T10:00:00+01:00'),
      pathEnded(4, 'a', 'A1', '2020-06-30T10:00:00+02:00'),
    ]).trim().split('\n');
    const file = writeHistory(lines, [
      { recordedAt: '2020-01-04T01:00:00.000Z', fromLine: 1, toLine: 2 },
      { recordedAt: '2020-02-02T01:00:00.000Z', fromLine: 3, toLine: 3 },
      { recordedAt: '2020-07-01T01:00:00.000Z', fromLine: 4, toLine: 4 },
    ]);
    const run = runCli(['load-history', file], `sqlite:${db}`);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/loaded .*: 4 events in 3 recording batches/);
    const rows = new Database(db, { readonly: true }).prepare('SELECT position, recorded_at FROM events ORDER BY position').all();
    expect(rows).toEqual([
      { position: 1, recorded_at: '2020-01-04T01:00:00.000Z' },
      { position: 2, recorded_at: '2020-01-04T01:00:00.000Z' },
      { position: 3, recorded_at: '2020-02-02T01:00:00.000Z' },
      { position: 4, recorded_at: '2020-07-01T01:00:00.000Z' },
    ]);
    expect(runCli(['verify'], `sqlite:${db}`).status).toBe(0);
    // Run again on the complete ledger: nothing to load, nothing written.
    const again = runCli(['load-history', file], `sqlite:${db}`);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/is already loaded: the ledger holds its 4 events, recorded up to 2020-07-01T01:00:00.000Z; nothing to load/);
    expect(new Database(db, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4 });
  });

  it('refuses a ledger that holds other events than the history (not a prefix of it), writing nothing', () => {
    const lines = toNdjson([learnerActive(1, 'a', '2020-01-02T10:00:00Z'), learnerActive(2, 'b', '2020-01-05T10:00:00Z')]).trim().split('\n');
    const file = writeHistory(lines, [
      { recordedAt: '2020-01-03T00:00:00.000Z', fromLine: 1, toLine: 1 },
      { recordedAt: '2020-02-01T00:00:00.000Z', fromLine: 2, toLine: 2 },
    ]);
    // The same first event, recorded at another moment (an import now): not what a load of the history wrote.
    const other = join(dir, 'other.ndjson');
    writeFileSync(other, `${lines[0]}\n`);
    expect(runCli(['import', other], `sqlite:${db}`).status).toBe(0);
    const run = runCli(['load-history', file], `sqlite:${db}`);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /the ledger is not a prefix of this history \(position 1 holds event [0-9a-f-]+ \(LearnerActive, recorded at [^)]+\), which the history's batch 1 \(recorded at 2020-01-03T00:00:00.000Z\) records at another moment\)/,
    );
    expect(new Database(db, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
  });

  it('refuses an event that occurred after its batch was recorded, naming its line in the file; earlier batches stay', () => {
    const lines = toNdjson([learnerActive(1, 'a', '2020-01-02T10:00:00Z'), learnerActive(2, 'b', '2020-03-01T10:00:00Z')]).trim().split('\n');
    const file = writeHistory(lines, [
      { recordedAt: '2020-01-03T00:00:00.000Z', fromLine: 1, toLine: 1 },
      { recordedAt: '2020-02-01T00:00:00.000Z', fromLine: 2, toLine: 2 },
    ]);
    const run = runCli(['load-history', file], `sqlite:${db}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 2 .*occurredAt .*future/);
    const count = new Database(db, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    expect(count.n).toBe(1);
  });
});
