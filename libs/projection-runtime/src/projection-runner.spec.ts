import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { courseStarted, learnerActive, retracted, uuidOf } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import type { Projection } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import { catchUp, rebuild, stateAsKnownAt, stateAt } from './projection-runner';
import { SqliteProjectionStateStore } from './sqlite-projection-state.store';

/** Counts LearnerActive events per learner, and remembers the order it saw them in. */
type Activity = { perLearner: Record<string, number>; seen: number[] };
function activity(version = 1, crashAt?: number): Projection<Activity> {
  return defineProjection({
    name: 'activity-test',
    version,
    handles: ['LearnerActive'],
    retraction: { kind: 'none' },
    bitemporal: false,
    ...plainJson<Activity>(),
    initialState: (): Activity => ({ perLearner: {}, seen: [] }),
    evolve(state, event) {
      if (event.position === crashAt) throw new Error(`crash at ${crashAt}`);
      state.perLearner[event.learnerId] = (state.perLearner[event.learnerId] ?? 0) + 1;
      state.seen.push(event.position);
      return state;
    },
  });
}

describe('projection runner (over a real SQLite ledger and state store)', () => {
  let ledger: ReturnType<typeof tempSqliteStore>;
  let dir: string;
  let states: SqliteProjectionStateStore;
  beforeEach(async () => {
    ledger = tempSqliteStore();
    dir = mkdtempSync(join(tmpdir(), 'ledger-projections-'));
    states = new SqliteProjectionStateStore(join(dir, 'read-models.db'));
    await ledger.store.append({ events: Array.from({ length: 100 }, (_, i) => learnerActive(i + 1, `L${i % 3}`)) });
  });
  afterEach(async () => {
    await states.close();
    await ledger.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a new projection from position 0 and saves its state with its checkpoint', async () => {
    const result = await catchUp(ledger.store, states, activity());
    expect(result).toMatchObject({ position: 100, rebuilt: true });
    expect(result.state.perLearner).toEqual({ L0: 34, L1: 33, L2: 33 });
    expect(await states.load('activity-test')).toMatchObject({ version: 1, position: 100 });
  });

  it('follows the log from its checkpoint: only new events are folded', async () => {
    await catchUp(ledger.store, states, activity());
    await ledger.store.append({ events: [learnerActive(101, 'L0'), learnerActive(102, 'L9')] });
    const result = await catchUp(ledger.store, states, activity());
    expect(result).toMatchObject({ position: 102, rebuilt: false });
    expect(result.state.perLearner).toEqual({ L0: 35, L1: 33, L2: 33, L9: 1 });
    expect(result.state.seen).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
  });

  it('builds again from position 0 when the version changed', async () => {
    await catchUp(ledger.store, states, activity(1));
    const result = await catchUp(ledger.store, states, activity(2));
    expect(result).toMatchObject({ position: 100, rebuilt: true });
    expect(result.state.seen).toHaveLength(100);
  });

  it('resumes a crashed rebuild from its last save, never ahead of or behind its checkpoint', async () => {
    await expect(rebuild(ledger.store, states, activity(1, 77), { saveEvery: 10 })).rejects.toThrow('crash at 77');
    const saved = await states.load('activity-test');
    expect(saved?.position).toBe(70);
    expect((saved?.state as { seen: number[] }).seen).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    const resumed = await catchUp(ledger.store, states, activity(1));
    expect(resumed).toMatchObject({ position: 100, rebuilt: false });
    expect(resumed.state).toEqual(await stateAt(ledger.store, activity(1), 100));
  });

  it('replays the state as known at a position, apart from the stored one', async () => {
    await catchUp(ledger.store, states, activity());
    const at30 = await stateAt(ledger.store, activity(), 30);
    expect(at30.seen).toHaveLength(30);
    expect((await states.load('activity-test'))?.position).toBe(100);
  });

  it('hands a projection with retract the events retracted, and only those of the types it handles', async () => {
    const taken: string[] = [];
    const counter = defineProjection({
      name: 'counter-test',
      version: 1,
      handles: ['LearnerActive'],
      bitemporal: false,
      ...plainJson<{ n: number }>(),
      initialState: () => ({ n: 0 }),
      evolve: (state: { n: number }) => ({ n: state.n + 1 }),
      retraction: {
        kind: 'retract',
        retract: (state: { n: number }, event, retraction) => {
          taken.push(`${event.eventId} by ${retraction.eventId}`);
          return { n: state.n - 1 };
        },
      },
    });
    await ledger.store.append({ events: [courseStarted(200, 'L0'), retracted(201, 'L0', uuidOf(1)), retracted(202, 'L0', uuidOf(200))] });
    const result = await catchUp(ledger.store, states, counter);
    expect(result.state.n).toBe(99);
    expect(taken).toEqual([`${uuidOf(1)} by ${uuidOf(201)}`]);
  });

  it('keeps snapshots at fixed positions, from which any past state is the one a full replay gives', async () => {
    await ledger.store.append({ events: [retracted(300, 'L1', uuidOf(2)), learnerActive(301, 'L1'), courseStarted(302, 'L2')] });
    type Counting = { perLearner: Record<string, number> };
    const counting = defineProjection({
      name: 'counting-test',
      version: 1,
      handles: ['LearnerActive'],
      bitemporal: false,
      ...plainJson<Counting>(),
      initialState: (): Counting => ({ perLearner: {} }),
      evolve(state, event) {
        state.perLearner[event.learnerId] = (state.perLearner[event.learnerId] ?? 0) + 1;
        return state;
      },
      retraction: {
        kind: 'retract',
        retract(state: Counting, event) {
          state.perLearner[event.learnerId] = (state.perLearner[event.learnerId] ?? 0) - 1;
          return state;
        },
      },
    });
    await catchUp(ledger.store, states, counting, { snapshotEvery: 25 });
    const { logId } = await ledger.store.identity();
    expect((await states.loadSnapshot('counting-test', 1, 60, logId))?.position).toBe(50);
    expect(await states.loadSnapshot('counting-test', 2, 60, logId)).toBeUndefined();
    for (const position of [0, 1, 24, 25, 26, 49, 50, 77, 100, 101, 102, 103]) {
      expect(await stateAsKnownAt(ledger.store, states, counting, position)).toEqual(await stateAt(ledger.store, counting, position));
    }
    expect((await stateAsKnownAt(ledger.store, states, counting, 103)).perLearner.L1).toBe(33); // 33 events, one retracted, one more
  });
});
