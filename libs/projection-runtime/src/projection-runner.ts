import type { RecordedEvent } from '@ledger/events';
import type { EventStore } from '@ledger/store';
import type { LogHead, LogRecord } from '@ledger/store';
import { EMPTY_HEAD, toRecordedEvent } from '@ledger/store';
import { recordAt } from '@ledger/store';
import type { AnyProjection, EventOf, Projection } from '@ledger/projection-kit';
import { isOneOf } from '@ledger/projection-kit';
import type { ProjectionStateStore, ReadModelsNotice, StoredProjection } from './projection-state.store';
import { ReadModelsSetAsideError } from './projection-state.store';

export interface CatchUpOptions {
  /** Save each state and its checkpoint every this many log positions (and at the end). */
  readonly saveEvery?: number;
  /** Keep a snapshot of each state every this many log positions, for as-known-at questions. */
  readonly snapshotEvery?: number;
  /** Called with the position reached, for a progress bar. */
  readonly onProgress?: (position: number) => void;
  /** false: fold in memory only, write neither states nor snapshots (an audit reads the live read models, never writes them). */
  readonly save?: boolean;
  /** The log is read as a scan of much of it (`ReadAllOptions.scan`): `rebuildAll` sets it. */
  readonly scan?: boolean;
}

export interface ProjectionResult<S> {
  readonly state: S;
  /** The last log position the state includes. */
  readonly position: number;
  /** Whether the stored state was thrown away (new projection, or another version) and built from 0. */
  readonly rebuilt: boolean;
}

/** One projection being folded: its state and the last position it includes. */
interface Run<S> {
  readonly projection: Projection<S>;
  state: S;
  position: number;
}

/** The event types a projection reads from the log: those it handles, and retractions if it takes them back. */
function typesRead(projection: AnyProjection): string[] {
  return projection.retraction.kind === 'retract' ? [...projection.handles, 'EventRetracted'] : [...projection.handles];
}

/**
 * Folds the log into several projections in one pass, each from its own position, up to
 * `target`. The store is asked only for the types the projections read, so a projection
 * of rare events does not pay for the common ones. A retraction is resolved once (the
 * retracted event looked up by id) and handed to every projection that takes it back.
 */
async function fold<S>(
  store: EventStore,
  runs: ReadonlyArray<Run<S>>,
  target: number,
  hooks: {
    onRecord?: (position: number) => Promise<void> | void;
    /** Called before a record is folded: the states are then as of `position - 1`. */
    beforeRecord?: (position: number) => Promise<void> | void;
    /** Read as a scan (`ReadAllOptions.scan`). */
    scan?: boolean;
  } = {},
): Promise<void> {
  const from = Math.min(...runs.map((r) => r.position));
  const types = [...new Set(runs.flatMap((r) => typesRead(r.projection)))];
  // Who folds each type, worked out once, not per event and projection.
  const evolving = new Map(types.map((type) => [type, runs.filter((r) => r.projection.handles.some((handled) => handled === type))]));
  const retracting = runs.filter((r) => r.projection.retraction.kind === 'retract');
  for await (const page of store.readPages(from + 1, { pageSize: 5000, toPosition: target, types, withoutHashes: true, scan: hooks.scan === true })) {
    for (const record of page) {
      const before = hooks.beforeRecord?.(record.position);
      if (before) await before;
      let event: RecordedEvent | undefined;
      // An erased event (docs/erasure.md) has no payload: no projection folds it, so a replay
      // after the erasure no longer counts the learner. Its position is still passed.
      const folding = record.erased === true ? [] : (evolving.get(record.type) ?? []);
      for (const run of folding) {
        if (run.position >= record.position) continue;
        event ??= toRecordedEvent(record);
        run.state = run.projection.evolve(run.state, event);
      }
      if (record.type === 'EventRetracted' && record.erased !== true && retracting.length > 0) {
        event ??= toRecordedEvent(record);
        if (event.type === 'EventRetracted') await takeBack(store, retracting, event);
      }
      for (const run of runs) if (run.position < record.position) run.position = record.position;
      // Awaited only when the hook has work to wait for (a save): not a promise per event.
      const pending = hooks.onRecord?.(record.position);
      if (pending) await pending;
    }
  }
  for (const run of runs) run.position = Math.max(run.position, target);
}

/** A retraction handed to the projections that take back the event it names, when they handled it. */
async function takeBack<S>(store: EventStore, runs: ReadonlyArray<Run<S>>, retraction: EventOf<'EventRetracted'>): Promise<void> {
  const pending = runs.filter((r) => r.position < retraction.position);
  if (pending.length === 0) return;
  const retracted = await lookUpRetracted(store, retraction);
  if (!retracted) return;
  for (const run of pending) {
    const { handles, retraction: strategy } = run.projection;
    if (strategy.kind !== 'retract' || !isOneOf(handles, retracted)) continue;
    const history = strategy.history ? await learnerHistory(store, retraction, strategy.history) : [];
    run.state = strategy.retract(run.state, retracted, retraction, history);
  }
}

async function lookUpRetracted(store: EventStore, retraction: EventOf<'EventRetracted'>): Promise<RecordedEvent | null> {
  // The log guarantees the target is an earlier event of the same learner, retracted once.
  const target: LogRecord | undefined = (await store.findEvents([retraction.data.retractedEventId])).get(retraction.data.retractedEventId);
  return target ? toRecordedEvent(target) : null;
}

/**
 * The learner's events of these types before a retraction that still exist then: those
 * retracted earlier, and the one this retraction names, are left out. Read from the
 * learner's stream, so it depends on the log alone.
 */
async function learnerHistory(
  store: EventStore,
  retraction: EventOf<'EventRetracted'>,
  types: readonly string[],
): Promise<RecordedEvent[]> {
  const earlier = (await store.readStream(retraction.streamId)).filter((r) => r.position < retraction.position);
  const gone = new Set([retraction.data.retractedEventId]);
  for (const record of earlier) {
    const event = record.type === 'EventRetracted' ? toRecordedEvent(record) : undefined;
    if (event?.type === 'EventRetracted') gone.add(event.data.retractedEventId);
  }
  return earlier.filter((r) => types.includes(r.type) && !gone.has(r.eventId)).map(toRecordedEvent);
}

/**
 * The chain hash of the log at a position (undefined past its end), one read per position
 * asked. Past the head read at the start too: another process may have appended since, and
 * caught its read models up beyond that head.
 */
function chainsOf(store: EventStore, head: LogHead): (position: number) => Promise<string | undefined> {
  const known = new Map<number, string>([
    [0, EMPTY_HEAD.chain],
    [head.position, head.chain],
  ]);
  return async (position) => {
    let chain = known.get(position);
    if (chain === undefined) {
      chain = (await recordAt(store, position))?.chain;
      if (chain !== undefined) known.set(position, chain);
    }
    return chain;
  };
}

/** Why a stored checkpoint cannot be used with this log, in words; undefined when it can. */
async function unboundFrom(
  checkpoint: Omit<StoredProjection, 'state'>,
  logId: string,
  head: LogHead,
  chainAt: (position: number) => Promise<string | undefined>,
): Promise<Omit<ReadModelsNotice, 'message'> & { found: string } | undefined> {
  if (checkpoint.logId === '') return { reason: 'unbound', found: 'record no log id (stored before read models were bound to their log)' };
  if (checkpoint.logId !== logId) return { reason: 'another-log', found: `were built from another log (log id ${checkpoint.logId}; this ledger's is ${logId})` };
  const chain = await chainAt(checkpoint.position);
  if (chain === undefined) {
    return { reason: 'log-truncated', found: `are checkpointed at position ${checkpoint.position}, past the end of the log (${head.position} events): the log was truncated` };
  }
  if (chain !== checkpoint.chain) {
    return {
      reason: 'log-rewritten',
      found: `were built from a log that differs from this one at or below position ${checkpoint.position} (chain hash ${checkpoint.chain.slice(0, 12)}..., the log has ${String(chain).slice(0, 12)}...): the log was rewritten`,
    };
  }
  return undefined;
}

/** Runs work that reads stored states once more when their file was found damaged and set aside (it then starts from nothing). */
async function againIfSetAside<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ReadModelsSetAsideError)) throw error;
    return work();
  }
}

/**
 * Brings projections up to the head of the log, each from its own checkpoint (a catch-up
 * subscription over the store port, not the in-memory event bus), in one pass. A
 * projection never stored, or stored by another version, is built from position 0. Each
 * state is saved with its checkpoint in one write, every `saveEvery` positions and at the
 * end, so a crash resumes from the last save, neither ahead of nor behind the log.
 *
 * A checkpoint records the log it was folded from (its id, and its chain hash at the
 * checkpoint's position). A state of another log, or of a log since truncated or rewritten
 * below its checkpoint, is never used: it is discarded (when saving) and built from 0, and
 * `states.notice` says so once per catch-up.
 */
export function catchUpAll<S = unknown>(
  store: EventStore,
  states: ProjectionStateStore,
  projections: ReadonlyArray<Projection<S>>,
  options: CatchUpOptions = {},
): Promise<Array<ProjectionResult<S>>> {
  return againIfSetAside(() => catchUpOnce(store, states, projections, options));
}

async function catchUpOnce<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projections: ReadonlyArray<Projection<S>>,
  options: CatchUpOptions,
): Promise<Array<ProjectionResult<S>>> {
  if (projections.length === 0) return [];
  const writes = options.save !== false;
  const { logId } = await store.identity();
  const head = await store.head();
  const target = head.position;
  const chainAt = chainsOf(store, head);

  // The checkpoints are judged before any state is loaded: a state of another log is never read.
  const runs: Array<Run<S> & { rebuilt: boolean; saved: number }> = [];
  const discarded: Array<{ name: string; reason: ReadModelsNotice['reason']; found: string }> = [];
  for (const projection of projections) {
    const checkpoint = await states.checkpoint(projection.name);
    let usable = checkpoint !== undefined && checkpoint.version === projection.version;
    if (checkpoint && usable) {
      const unbound = await unboundFrom(checkpoint, logId, head, chainAt);
      if (unbound) {
        usable = false;
        discarded.push({ name: projection.name, ...unbound });
        if (writes) await states.reset(projection.name);
      }
    }
    let stored = usable ? await states.load(projection.name) : undefined;
    // Saved again by another process since its checkpoint was judged: judged again, as loaded.
    if (stored && checkpoint && (stored.position !== checkpoint.position || stored.logId !== checkpoint.logId || stored.chain !== checkpoint.chain)) {
      if (stored.version !== projection.version || (await unboundFrom(stored, logId, head, chainAt))) stored = undefined;
    }
    runs.push(
      stored === undefined
        ? { projection, state: projection.initialState(), position: 0, rebuilt: true, saved: -1 }
        : { projection, state: projection.fromJson(stored.state), position: stored.position, rebuilt: false, saved: stored.position },
    );
  }
  const first = discarded[0];
  if (first) {
    const what = `read models (${discarded.length}: ${discarded.map((d) => d.name).join(', ')})`;
    const done = writes ? 'discarded, and rebuilt from position 0' : 'not used: folded from position 0 in memory';
    states.notice({ reason: first.reason, message: `${what} ${first.found}; ${done}` });
  }

  const save = async (run: (typeof runs)[number]) => {
    if (!writes) return;
    const { projection } = run;
    const position = run.position;
    const chain = await chainOrThrow(chainAt, position);
    await states.save({ name: projection.name, version: projection.version, position, state: projection.toJson(run.state), logId, chain });
    run.saved = position;
  };
  const saveEvery = options.saveEvery ?? 2_500_000;
  const snapshotEvery = options.snapshotEvery ?? 100_000;
  let lastSaved = Math.min(...runs.map((r) => r.position));
  let lastReported = lastSaved;
  // Snapshots at fixed positions (multiples of snapshotEvery), so they do not depend on
  // where a catch-up started or stopped; taken just before the first record past one.
  const snapshot = async (run: (typeof runs)[number], position: number) => {
    if (!writes) return;
    const chain = await chainOrThrow(chainAt, position);
    const state = run.projection.toJson(run.state);
    await states.saveSnapshot({ name: run.projection.name, version: run.projection.version, position, state, logId, chain });
  };
  let nextSnapshot = (Math.floor(lastSaved / snapshotEvery) + 1) * snapshotEvery;
  await fold(store, runs, target, {
    scan: options.scan === true,
    beforeRecord: (position) => {
      if (position <= nextSnapshot) return undefined;
      const at = Math.floor((position - 1) / snapshotEvery) * snapshotEvery;
      nextSnapshot = at + snapshotEvery;
      const due = runs.filter((r) => r.position <= at && !r.projection.bitemporal);
      return Promise.all(due.map((r) => snapshot(r, at))).then(() => undefined);
    },
    onRecord: (position) => {
      if (position - lastReported >= 50_000) {
        lastReported = position;
        options.onProgress?.(position);
      }
      if (position - lastSaved < saveEvery) return undefined;
      lastSaved = position;
      return Promise.all(runs.map(save)).then(() => undefined);
    },
  });
  for (const run of runs) if (run.saved !== run.position) await save(run);
  options.onProgress?.(target);
  return runs.map((r) => ({ state: r.state, position: r.position, rebuilt: r.rebuilt }));
}

async function chainOrThrow(chainAt: (position: number) => Promise<string | undefined>, position: number): Promise<string> {
  const chain = await chainAt(position);
  if (chain === undefined) throw new Error(`the log has no event at position ${position}, below the head it had when the catch-up started`);
  return chain;
}

/** `catchUpAll` for one projection. */
export async function catchUp<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  options: CatchUpOptions = {},
): Promise<ProjectionResult<S>> {
  const [result] = await catchUpAll(store, states, [projection], options);
  if (!result) throw new Error(`no result for projection ${projection.name}`);
  return result;
}

/** Throws the stored states away and builds the projections again from position 0, in one pass. */
export async function rebuildAll(
  store: EventStore,
  states: ProjectionStateStore,
  projections: readonly AnyProjection[],
  options: CatchUpOptions = {},
): Promise<Array<ProjectionResult<unknown>>> {
  await againIfSetAside(async () => {
    for (const projection of projections) await states.reset(projection.name);
  });
  return catchUpAll(store, states, projections, { ...options, scan: true });
}

export async function rebuild<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  options: CatchUpOptions = {},
): Promise<ProjectionResult<S>> {
  await againIfSetAside(() => states.reset(projection.name));
  return catchUp(store, states, projection, options);
}

/**
 * The state as known at a position of the log (transaction time): the latest snapshot at
 * or before it, with the few events after it folded in. Without a snapshot, a replay from
 * position 0.
 */
export async function stateAsKnownAt<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  position: number,
): Promise<S> {
  const [state] = await statesAsKnownAtPosition(store, states, [projection], position);
  return state as S;
}

/**
 * `stateAsKnownAt` for several projections, in one pass over the log from the earliest of
 * their snapshots (the log is read once, not once per projection); the states in the order given.
 */
export async function statesAsKnownAtPosition(
  store: EventStore,
  states: ProjectionStateStore,
  projections: readonly AnyProjection[],
  position: number,
): Promise<unknown[]> {
  const runs: Array<Run<unknown>> = [];
  for (const projection of projections) {
    const snapshot = await againIfSetAside(() => boundSnapshot(store, states, projection, position));
    runs.push(snapshot ? { projection, state: projection.fromJson(snapshot.state), position: snapshot.position } : { projection, state: projection.initialState(), position: 0 });
  }
  if (runs.length > 0) await fold(store, runs, position);
  return runs.map((run) => run.state);
}

/**
 * The latest snapshot at or before a position folded from this very log: of its log id, and
 * whose chain hash at its position is the log's (one read each). A snapshot of a log since
 * rewritten below it is passed over for an older one.
 */
async function boundSnapshot<S>(store: EventStore, states: ProjectionStateStore, projection: Projection<S>, position: number): Promise<StoredProjection | undefined> {
  const { logId } = await store.identity();
  const chainAt = async (at: number) => (at === 0 ? EMPTY_HEAD.chain : (await recordAt(store, at))?.chain);
  let snapshot = await states.loadSnapshot(projection.name, projection.version, position, logId);
  while (snapshot && (await chainAt(snapshot.position)) !== snapshot.chain) {
    snapshot = await states.loadSnapshot(projection.name, projection.version, snapshot.position - 1, logId);
  }
  return snapshot;
}

/**
 * The state as known at a position of the log (transaction time), replayed from the log
 * alone into a fresh state, apart from the stored one: what an auditor's replay starts from.
 */
export async function stateAt<S>(store: EventStore, projection: Projection<S>, position: number): Promise<S> {
  const run: Run<S> = { projection, state: projection.initialState(), position: 0 };
  await fold(store, [run], position, { scan: true });
  return run.state;
}

/** `stateAt` for several projections, in one pass over the log. */
export async function statesAt(
  store: EventStore,
  projections: readonly AnyProjection[],
  position: number,
  onProgress?: (position: number) => void,
): Promise<Map<AnyProjection, unknown>> {
  const runs: Array<Run<unknown>> = projections.map((projection) => ({ projection, state: projection.initialState(), position: 0 }));
  let reported = 0;
  await fold(store, runs, position, {
    scan: true,
    onRecord: (at) => {
      if (onProgress && at - reported >= 50_000) onProgress((reported = at));
    },
  });
  return new Map(runs.map((run) => [run.projection, run.state]));
}
