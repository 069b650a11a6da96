import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnerActive } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import type { Projection } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import type { ReadModelsNotice } from './projection-state.store';
import { catchUp, catchUpAll, rebuild, stateAsKnownAt, stateAt } from './projection-runner';
import { SqliteProjectionStateStore } from './sqlite-projection-state.store';

interface Counts {
  perLearner: Record<string, number>;
  seen: number[];
}

/** Counts LearnerActive events per learner and keeps their positions; `pad` makes the stored state span many pages. */
function activity(pad = ''): Projection<Counts & { pad: string }> {
  return defineProjection({
    name: 'activity-test',
    version: 1,
    handles: ['LearnerActive'],
    retraction: { kind: 'none' },
    bitemporal: false,
    ...plainJson<Counts & { pad: string }>(),
    initialState: (): Counts & { pad: string } => ({ perLearner: {}, seen: [], pad }),
    evolve(state, event) {
      state.perLearner[event.learnerId] = (state.perLearner[event.learnerId] ?? 0) + 1;
      state.seen.push(event.position);
      return state;
    },
  });
}

/** Read models are bound to the log they were folded from: its id, and its chain hash at the checkpoint. */
describe('read models bound to their log', () => {
  let dir: string;
  let a: ReturnType<typeof tempSqliteStore>;
  let b: ReturnType<typeof tempSqliteStore>;
  let notices: ReadModelsNotice[];
  let states: SqliteProjectionStateStore;
  const file = () => join(dir, 'read-models.db');
  const openStates = () => new SqliteProjectionStateStore(file(), { onNotice: (notice) => notices.push(notice) });

  /** What a clean rebuild of `store` gives, in a read-models file of its own. */
  async function clean(store: typeof a.store, projection = activity()) {
    const fresh = new SqliteProjectionStateStore(join(mkdtempSync(join(dir, 'clean-')), 'read-models.db'));
    try {
      return (await catchUp(store, fresh, projection)).state;
    } finally {
      await fresh.close();
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-binding-'));
    notices = [];
    a = tempSqliteStore();
    b = tempSqliteStore();
    await a.store.append({ events: Array.from({ length: 100 }, (_, i) => learnerActive(i + 1, `A${i % 3}`)) });
    await b.store.append({ events: Array.from({ length: 60 }, (_, i) => learnerActive(1000 + i, `B${i % 4}`)) });
    states = openStates();
  });
  afterEach(async () => {
    await states.close();
    await a.dispose();
    await b.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("never answers a log from another log's read models: they are discarded and rebuilt from 0, said once", async () => {
    await catchUp(a.store, states, activity());
    const result = await catchUp(b.store, states, activity());
    expect(result).toMatchObject({ position: 60, rebuilt: true });
    expect(result.state).toEqual(await clean(b.store));
    expect(notices).toEqual([{ reason: 'another-log', message: expect.stringMatching(/^read models \(1: activity-test\) were built from another log \(log id [0-9a-f-]{36}; this ledger's is [0-9a-f-]{36}\); discarded, and rebuilt from position 0$/) }]);
    expect(await states.checkpoint('activity-test')).toMatchObject({ position: 60, logId: (await b.store.identity()).logId, chain: (await b.store.head()).chain });
    // Bound to B now: the next catch-up uses them as they are.
    expect(await catchUp(b.store, states, activity())).toMatchObject({ rebuilt: false });
    expect(notices).toHaveLength(1);
  });

  it('rebuilds read models checkpointed past the end of a truncated log', async () => {
    await catchUp(a.store, states, activity());
    a.store.connection.exec('DELETE FROM events WHERE position > 50');
    const result = await catchUp(a.store, states, activity());
    expect(result).toMatchObject({ position: 50, rebuilt: true });
    expect(result.state).toEqual(await clean(a.store));
    expect(notices.map((n) => n.reason)).toEqual(['log-truncated']);
    expect(notices[0]?.message).toMatch(/checkpointed at position 100, past the end of the log \(50 events\)/);
  });

  it('rebuilds read models of a log rewritten below their checkpoint, even once it is longer again', async () => {
    await catchUp(a.store, states, activity());
    a.store.connection.exec('DELETE FROM events WHERE position > 50');
    await a.store.append({ events: Array.from({ length: 60 }, (_, i) => learnerActive(5000 + i, 'Z')) });
    const result = await catchUp(a.store, states, activity());
    expect(result).toMatchObject({ position: 110, rebuilt: true });
    expect(result.state).toEqual(await clean(a.store));
    expect(result.state.perLearner.Z).toBe(60);
    expect(notices.map((n) => n.reason)).toEqual(['log-rewritten']);
  });

  it('does not take read models caught up by another process meanwhile, past the head it read, for a truncated log', async () => {
    await catchUp(a.store, states, activity());
    const other = openStates(); // another process, on the same file
    let interleaved = false;
    // Between this catch-up's read of the head and of the checkpoint, the other process appends and catches up.
    const racing: typeof states = Object.assign(Object.create(states) as typeof states, {
      checkpoint: async (name: string) => {
        if (!interleaved) {
          interleaved = true;
          await a.store.append({ events: [learnerActive(900, 'A0'), learnerActive(901, 'A1')] });
          await catchUp(a.store, other, activity());
        }
        return states.checkpoint(name);
      },
    });
    const result = await catchUp(a.store, racing, activity());
    await other.close();
    expect(interleaved).toBe(true);
    expect(result).toMatchObject({ position: 102, rebuilt: false });
    expect(notices).toEqual([]);
    expect(await states.checkpoint('activity-test')).toMatchObject({ position: 102 });
  });

  it('rebuilds once a state stored before checkpoints named their log', async () => {
    await catchUp(a.store, states, activity());
    await states.close();
    const raw = new (await import('better-sqlite3')).default(file());
    raw.exec("UPDATE projection_states SET log_id = '', chain = ''");
    raw.close();
    states = openStates();
    const result = await catchUp(a.store, states, activity());
    expect(result).toMatchObject({ position: 100, rebuilt: true });
    expect(notices.map((n) => n.reason)).toEqual(['unbound']);
  });

  it('does not use them either when it may not save (an audit), and leaves them as they are', async () => {
    await catchUp(a.store, states, activity());
    const [result] = await catchUpAll(b.store, states, [activity()], { save: false });
    expect(result?.state).toEqual(await clean(b.store));
    expect(notices[0]?.message).toMatch(/not used: folded from position 0 in memory$/);
    expect(await states.checkpoint('activity-test')).toMatchObject({ position: 100, logId: (await a.store.identity()).logId });
  });

  it("answers as known at from its own log's snapshots only, never another log's or a rewritten one's", async () => {
    await catchUp(a.store, states, activity(), { snapshotEvery: 10 });
    for (const position of [0, 15, 40, 60]) {
      expect(await stateAsKnownAt(b.store, states, activity(), position)).toEqual(await stateAt(b.store, activity(), position));
    }
    a.store.connection.exec('DELETE FROM events WHERE position > 25');
    await a.store.append({ events: Array.from({ length: 30 }, (_, i) => learnerActive(7000 + i, 'Z')) });
    for (const position of [20, 25, 26, 35, 55]) {
      expect(await stateAsKnownAt(a.store, states, activity(), position)).toEqual(await stateAt(a.store, activity(), position));
    }
  });

  it('sets a read-models file cut to half its size aside on open, keeps it under a UTC-stamped name, and rebuilds', async () => {
    await catchUp(a.store, states, activity('x'.repeat(400_000)));
    await states.close();
    truncateSync(file(), Math.floor(statSync(file()).size / 2));
    states = openStates();
    expect(notices.map((n) => n.reason)).toEqual(['damaged-file']);
    const aside = readdirSync(dir).filter((name) => /^read-models\.db\.damaged-\d{8}T\d{6}Z$/.test(name));
    expect(aside).toHaveLength(1);
    expect(notices[0]?.message).toBe(
      `read models file ${file()} is damaged (database disk image is malformed): set aside as ${join(dir, aside[0] ?? '')}; the read models are rebuilt from position 0`,
    );
    const result = await catchUp(a.store, states, activity('x'.repeat(400_000)));
    expect(result).toMatchObject({ position: 100, rebuilt: true });
    expect(result.state).toEqual(await clean(a.store, activity('x'.repeat(400_000))));
  });

  it('sets aside a file found damaged only when a state is read, and starts the catch-up again from nothing', async () => {
    const bulky = activity('x'.repeat(2_000_000));
    await catchUp(a.store, states, bulky);
    await states.close();
    // Overwrite pages in the middle of the state's overflow chain: the file opens, the state does not read.
    const page = 65536;
    const size = statSync(file()).size;
    const fd = openSync(file(), 'r+');
    writeSync(fd, Buffer.alloc(4 * page, 0xff), 0, 4 * page, Math.floor(size / page / 2) * page);
    closeSync(fd);
    states = openStates();
    expect(notices).toEqual([]);
    const result = await catchUp(a.store, states, bulky);
    expect(notices.map((n) => n.reason)).toEqual(['damaged-file']);
    expect(result).toMatchObject({ position: 100, rebuilt: true });
    expect(result.state).toEqual(await clean(a.store, bulky));
    expect(readdirSync(dir).filter((name) => name.includes('.damaged-'))).toHaveLength(1);
    expect(existsSync(file())).toBe(true);
    // A rebuild of a damaged file recovers the same way.
    expect((await rebuild(a.store, states, bulky)).state).toEqual(result.state);
  });
});
