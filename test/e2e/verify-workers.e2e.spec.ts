import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { verifyLog as VerifyLog } from '@ledger/audit';
import type { SqliteEventStore as Sqlite } from '@ledger/store/sqlite';
import { courseStarted, learnerActive } from '../support/event-builders';

/**
 * `verifyLog` on real worker threads: the compiled modules (a worker thread runs the compiled
 * verify-range.worker.js, absent from the TypeScript sources the other specs run), on a SQLite
 * file each worker opens itself, by ranges of 8 events so that 40 events make five ranges.
 */
const DIST = join(__dirname, '..', '..', 'dist');

describe('verifyLog by ranges on worker threads (compiled)', () => {
  let verifyLog: typeof VerifyLog;
  let SqliteEventStore: typeof Sqlite;
  beforeAll(async () => {
    ({ verifyLog } = (await import(join(DIST, 'libs/audit/src/verify-log.js'))) as { verifyLog: typeof VerifyLog });
    ({ SqliteEventStore } = (await import(join(DIST, 'libs/store/src/sqlite/sqlite-event-store.js'))) as { SqliteEventStore: typeof Sqlite });
  });
  let dir: string;
  let store: Sqlite;
  const onWorkers = { parallel: { rangeEvents: 8, workers: 2 } } as const;
  const rootsAt = new Set([0, 5, 8, 16, 23, 40]);
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-verify-workers-'));
    store = new SqliteEventStore(join(dir, 'ledger.db'));
    await store.append({ events: Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? courseStarted(i + 1, `L${i % 4}`) : learnerActive(i + 1, `L${i % 4}`))) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives what the check on one thread gives, the leaf hashes written by the workers into shared memory', async () => {
    const one = Buffer.alloc(40 * 32);
    const shared = Buffer.from(new SharedArrayBuffer(40 * 32));
    const joined: number[] = [];
    const expected = await verifyLog(store, { parallel: false, rootsAt, toPosition: 40, leaves: one });
    expect(expected).toMatchObject({ ok: true, checked: 40 });
    expect(await verifyLog(store, { ...onWorkers, rootsAt, toPosition: 40, leaves: shared, onProgress: (n) => joined.push(n) })).toEqual(expected);
    expect(shared.equals(one)).toBe(true);
    expect(joined).toEqual([8, 16, 24, 32, 40]);
    expect(await verifyLog(store, { ...onWorkers, rootsAt })).toEqual(await verifyLog(store, { parallel: false, rootsAt }));
  });

  it.each([
    ['in the middle of a worker range', 13],
    ['at the first event of a range', 17],
    ['at the last event of a range', 24],
  ])('names a changed event %s by its position, as the check on one thread does', async (_where, position) => {
    store.connection.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"courseId":"C99","theme":"design"}', position);
    const result = await verifyLog(store, { ...onWorkers, rootsAt });
    expect(result).toMatchObject({ ok: false, checked: position - 1, fault: { position, problem: expect.stringMatching(/does not match its hash \(altered record\)$/) } });
    expect(result).toEqual(await verifyLog(store, { parallel: false, rootsAt }));
  });

  it('names a deleted event at a range boundary by the position that is missing', async () => {
    store.connection.prepare('DELETE FROM events WHERE position = ?').run(16);
    const result = await verifyLog(store, onWorkers);
    expect(result.fault).toEqual({ position: 16, problem: 'position 16 is missing: the next event found is at position 17' });
    expect(result).toEqual(await verifyLog(store, { parallel: false }));
  });
});
