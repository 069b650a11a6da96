import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { LogEvent } from '@ledger/events';
import type { FigureProvenance } from '@ledger/projection-runtime';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { courseStarted, retracted, uuidOf } from '../support/event-builders';
import { CLI } from '../support/run-cli';

/** Enough courses started that the whole list, built in memory, does not fit the heap below (it needs more than 96 MB). */
const COURSES = 200_000;
/**
 * The heap the CLI runs with: the list is written as it is read, or it does not fit. With room
 * above what the CLI holds once started (about 35 MB live): at 40 MB, a run beside another
 * busy process (two jest workers on 2 cores) ran out of heap.
 */
const HEAP_MB = 64;
const YEAR_2020 = ['--from', '2020-01-01', '--to', '2020-12-31'];

interface Run {
  readonly status: number | null;
  readonly stderr: string;
}

/**
 * `ledger explain` over a figure of two hundred thousand events, through the compiled CLI on
 * a real SQLite ledger, with a heap too small to hold the list: each format is written as
 * the log is read (bounded memory), to a file, to a slow pipe, and to a pipe closed early.
 */
describe('ledger explain streams its output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-explain-stream-'));
  const file = join(dir, 'ledger.db');
  const env = { ...process.env, LEDGER_DB: `sqlite:${file}`, READ_MODELS_DB: join(dir, 'read-models.db') };
  /** The positions of the courses started in 2020 that still exist, in log order: what the figure counts. */
  const counted: number[] = [];

  beforeAll(async () => {
    const store = new SqliteEventStore(file);
    const events: LogEvent[] = [];
    // One in a hundred in 2019 (not in the period), one in a thousand retracted.
    for (let n = 1; n <= COURSES; n += 1) events.push(courseStarted(n, `L${n % 5_000}`, `${n % 100 === 0 ? 2019 : 2020}-${String(1 + (n % 12)).padStart(2, '0')}-15T10:00:00Z`));
    for (let n = 7; n <= COURSES; n += 1_000) events.push(retracted(COURSES + n, `L${n % 5_000}`, uuidOf(n)));
    for (let i = 0; i < events.length; i += 10_000) await store.append({ events: events.slice(i, i + 10_000) });
    await store.close();
    for (let n = 1; n <= COURSES; n += 1) if (n % 100 !== 0 && n % 1_000 !== 7) counted.push(n);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `explain key.courses-started` with a small heap, its stdout into a file (a descriptor) or to a reader of the pipe. */
  function explain(args: readonly string[], stdout: number | ((pipe: Readable) => void)): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, 'explain', 'key.courses-started', ...YEAR_2020, ...args], {
        env,
        stdio: ['ignore', typeof stdout === 'number' ? stdout : 'pipe', 'pipe'],
        timeout: 85_000,
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      if (typeof stdout !== 'number' && child.stdout) stdout(child.stdout);
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }

  it(`writes csv, one row per event under a header, for ${COURSES.toLocaleString('en-US')} events with a ${HEAP_MB} MB heap, into a file`, async () => {
    const path = join(dir, 'explain.csv');
    const fd = openSync(path, 'w');
    const run = await explain(['--format', 'csv'], fd);
    closeSync(fd);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(header).toBe('position,eventId,type,learnerId,occurredAt,recordedAt');
    expect(rows).toHaveLength(counted.length);
    expect(rows.map((row) => Number(row.split(',')[0]))).toEqual(counted);
    expect(rows[0]).toMatch(new RegExp(`^1,${uuidOf(1)},CourseStarted,L1,2020-02-15T10:00:00Z,\\d{4}-`));
  }, 90_000);

  it('writes the json document to a reader slow to start no faster than it reads (back-pressure): valid JSON, every event, in log order', async () => {
    const chunks: Buffer[] = [];
    const run = await explain(['--format', 'json'], (stdout) => {
      // Nothing is read for two seconds: a writer that does not wait for 'drain' holds the whole output meanwhile.
      stdout.pause();
      setTimeout(() => stdout.on('data', (chunk: Buffer) => chunks.push(chunk)).resume(), 2_000);
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const provenance = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FigureProvenance;
    expect(provenance).toMatchObject({ figure: 'key.courses-started', value: counted.length, eventCount: counted.length, next: null });
    expect(provenance.events.map((e) => e.position)).toEqual(counted);
    expect(provenance.events[0]).toEqual({ position: 1, eventId: uuidOf(1), type: 'CourseStarted', learnerId: 'L1', occurredAt: '2020-02-15T10:00:00Z', recordedAt: expect.any(String) });
  }, 90_000);

  it('ends quietly, exit 0, when the reader closes the pipe (| head)', async () => {
    let first = '';
    const run = await explain(['--format', 'table'], (stdout) => {
      stdout.once('data', (chunk: Buffer) => {
        first = chunk.toString('utf8');
        stdout.destroy();
      });
    });
    expect(first).toMatch(/^key\.courses-started = \d+ for 2020-01-01 to 2020-12-31/);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 90_000);
});
