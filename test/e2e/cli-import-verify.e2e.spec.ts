import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import { courseStarted, learnerActive, pathEnded } from '../support/event-builders';
import { runCli, spawnCli } from '../support/run-cli';

function headOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  } finally {
    db.close();
  }
}

describe('ledger import / verify (the compiled CLI on a real SQLite file)', () => {
  let dir: string;
  let db: string;
  let ledgerDb: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    db = join(dir, 'ledger.db');
    ledgerDb = `sqlite:${db}`;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file, then appends nothing when the same file is imported again', async () => {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, toNdjson(syntheticEvents(500, 3)));
    const first = runCli(['import', file], ledgerDb);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/500 events, 500 appended at positions 1-500, 0 already present/);
    const again = runCli(['import', file], ledgerDb);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/500 events, 0 appended, 500 already present/);
    expect(headOf(db)).toBe(500);
    const verify = runCli(['verify'], ledgerDb);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/verified 500 events/);
    const rebuild = runCli(['rebuild'], ledgerDb, { READ_MODELS_DB: join(dir, 'read-models.db') });
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toMatch(/rebuilt survey v2 to position 500/);
  });

  it('refuses a good file with one bad line, naming the line and the field, and stores nothing', () => {
    const file = join(dir, 'one-bad-line.ndjson');
    const lines = toNdjson(syntheticEvents(200, 4)).split('\n');
    lines[120] = JSON.stringify({ ...learnerActive(9001, 'x'), data: { firstName: 'Ada' } });
    lines[150] = '{"eventId": "not json';
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], ledgerDb);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nothing was stored/);
    expect(run.stderr).toMatch(/line 151: \(line\) is not JSON/);
    // A line that is not JSON stops the read; fix it and the next error is named.
    lines[150] = JSON.stringify(learnerActive(9002, 'x'));
    writeFileSync(file, lines.join('\n'));
    const second = runCli(['import', file], ledgerDb);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/line 121 \(eventId [0-9a-f-]+\): data\.firstName /);
    expect(headOf(db)).toBe(0);
  });

  it('refuses a large file (checked on worker threads while it is written) with bad lines, and stores nothing', () => {
    const file = join(dir, 'large-bad.ndjson');
    const lines = toNdjson(syntheticEvents(30_000, 9)).split('\n');
    lines[19_999] = JSON.stringify({ ...learnerActive(9101, 'x'), occurredAt: '2020-03-01T10:00:00' });
    lines[28_499] = JSON.stringify({ ...learnerActive(9102, 'x'), type: 'LearnerFlew' });
    // A NUL in an id, and a 100 kB eventId, which is named but never repeated beside each error.
    lines[9_999] = JSON.stringify({ ...courseStarted(9103, 'x'), eventId: 'e'.repeat(100_000), data: { courseId: 'C\u0000', theme: 'data' } });
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], ledgerDb);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nothing was stored \(4 error\(s\)\)/);
    expect(run.stderr).toMatch(/line 20000 \(eventId [0-9a-f-]+\): occurredAt /);
    expect(run.stderr).toMatch(/line 28500 \(eventId [0-9a-f-]+\): type /);
    expect(run.stderr).toContain('line 10000: eventId must be a UUID');
    expect(run.stderr).toContain('line 10000: data.courseId may not hold a control character (U+0000-U+001F, U+007F): U+0000 at character 2');
    expect(run.stderr.length).toBeLessThan(5000);
    expect(headOf(db)).toBe(0);
  });

  it('refuses a large file whose only fault is a reference to an unknown admission, and stores nothing', () => {
    const file = join(dir, 'large-dangling.ndjson');
    const lines = toNdjson(syntheticEvents(30_000, 10)).split('\n');
    lines[25_000] = JSON.stringify(pathEnded(9201, 'y', 'A-none'));
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], ledgerDb);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 25001 .*data\.admissionId names no earlier LearnerAdmitted/);
    expect(headOf(db)).toBe(0);
  });

  it('refuses a PathEnded whose admission is nowhere, naming its line', () => {
    const file = join(dir, 'dangling.ndjson');
    writeFileSync(file, toNdjson([courseStarted(1, 'a'), pathEnded(2, 'a', 'A-none')]));
    const run = runCli(['import', file], ledgerDb);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 2 .*data\.admissionId names no earlier LearnerAdmitted/);
  });

  it('finds a byte changed in the SQLite file and names its position', () => {
    const file = join(dir, 'events.ndjson');
    const events = [...syntheticEvents(300, 5)];
    events[211] = { ...courseStarted(777, 'tamper-target'), data: { courseId: 'TAMPER-ME', theme: 'data' } };
    writeFileSync(file, toNdjson(events));
    expect(runCli(['import', file], ledgerDb).status).toBe(0);
    const bytes = readFileSync(db);
    const at = bytes.indexOf(Buffer.from('TAMPER-ME'));
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from('TAMPER-ME'), at + 1)).toBe(-1);
    bytes[at] = 'D'.charCodeAt(0); // TAMPER-ME -> DAMPER-ME: one byte
    writeFileSync(db, bytes);
    const run = runCli(['verify'], ledgerDb);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/does NOT verify at position 212: .*does not match its hash/);
  });

  it('leaves the log exactly as before or exactly after an import killed with SIGKILL', async () => {
    // Kills land at different moments: before the append, during it, or at its commit.
    const base = join(dir, 'base.ndjson');
    writeFileSync(base, toNdjson(syntheticEvents(100, 6)));
    expect(runCli(['import', base], ledgerDb).status).toBe(0);
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, toNdjson(syntheticEvents(60_000, 7)));
    const outcomes: number[] = [];
    for (const delayMs of [300, 900, 1500, 2500]) {
      const child = spawnCli(['import', big], ledgerDb);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await exited;
      expect(stderr).toBe(''); // an import that ended by itself before the kill must have succeeded
      const head = headOf(db);
      expect([100, 60_100]).toContain(head);
      outcomes.push(head);
      expect(runCli(['verify'], ledgerDb).status).toBe(0);
    }
    // Once the import completes, later kills find everything already present.
    expect(runCli(['import', big], ledgerDb).stdout).toMatch(/0 appended|60000 appended/);
    expect(headOf(db)).toBe(60_100);
  }, 240_000);
});
