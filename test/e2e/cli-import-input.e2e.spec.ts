import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import { learnerActive } from '../support/event-builders';
import { runCli } from '../support/run-cli';

function headOf(file: string): number {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  } finally {
    db.close();
  }
}

/** A line naming a key twice: JSON.parse would keep the last one, and RFC 8785 input has none. */
function withDuplicate(line: string, key: string, again: string): string {
  const at = line.indexOf(`"${key}":`);
  if (at === -1) throw new Error(`no ${key} in ${line}`);
  return `${line.slice(0, at)}"${key}":${again},${line.slice(at)}`;
}

describe('ledger import: duplicate keys and long error lists (the compiled CLI on a real SQLite file)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-input-'));
    db = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a small file with a key named twice, naming the line and the key, at any depth; stores nothing', () => {
    const lines = toNdjson(syntheticEvents(300, 5)).split('\n');
    const survey = lines.findIndex((l) => l.includes('"statusAssessment"'));
    lines[survey] = withDuplicate(lines[survey] ?? '', 'held', '[]');
    lines[40] = withDuplicate(lines[40] ?? '', 'learnerId', '"someone-else"');
    lines[41] = JSON.stringify({ ...learnerActive(9001, 'x'), data: { firstName: 'Ada' } });
    const file = join(dir, 'duplicates.ndjson');
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], `sqlite:${db}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nothing was stored \(2 error\(s\)\)/);
    expect(run.stderr).toMatch(/line 41 \(eventId [0-9a-f-]+\): learnerId is a duplicate key: "learnerId" appears twice/);
    expect(run.stderr).toContain(`line ${survey + 1} (eventId `);
    expect(run.stderr).toMatch(/: data\.statusAssessment\.held is a duplicate key: "held" appears twice/);
    // Keys come first, as a line that is not JSON does: line 42's shape is judged at the next run.
    expect(run.stderr).not.toContain('firstName');
    expect(headOf(db)).toBe(0);
  });

  it('refuses a large file (checked on worker threads) with a key named twice, the same way', () => {
    const lines = toNdjson(syntheticEvents(30_000, 6)).split('\n');
    lines[24_999] = withDuplicate(lines[24_999] ?? '', 'eventId', '"c0ffee00-0000-4000-8000-000000000000"');
    lines[29_000] = JSON.stringify({ ...learnerActive(9002, 'x'), type: 'LearnerFlew' });
    const file = join(dir, 'large-duplicates.ndjson');
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], `sqlite:${db}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nothing was stored \(1 error\(s\)\)/);
    expect(run.stderr).toMatch(/line 25000 \(eventId [0-9a-f-]+\): eventId is a duplicate key: "eventId" appears twice/);
    expect(headOf(db)).toBe(0);
    // Fixed, the file's other error is named; then it imports.
    lines[24_999] = JSON.stringify(learnerActive(9003, 'y'));
    writeFileSync(file, lines.join('\n'));
    expect(runCli(['import', file], `sqlite:${db}`).stderr).toMatch(/line 29001 \(eventId [0-9a-f-]+\): type /);
  });

  it('lists the first 100 errors of a file, and says how many there are', () => {
    const lines = Array.from({ length: 150 }, (_, i) => JSON.stringify({ ...learnerActive(i + 1), data: { x: i } }));
    const file = join(dir, 'many-errors.ndjson');
    writeFileSync(file, lines.join('\n'));
    const run = runCli(['import', file], `sqlite:${db}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refused, nothing was stored \(150 error\(s\)\)/);
    const listed = run.stderr.split('\n').filter((l) => /^ {2}line \d+/.test(l));
    expect(listed).toHaveLength(100);
    expect(listed[99]).toMatch(/^ {2}line 100 /);
    expect(run.stderr).toMatch(/\.\.\. and 50 more/);
  });
});
