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
    const again = runCli(['load-history', file], `sqlite:${db}`);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/only be imported into an empty ledger/);
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
