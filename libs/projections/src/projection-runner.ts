import type { EventRetracted, EventType, RecordedEvent } from '../../events/src/catalog';
import type { EventStore } from '../../store/src/event-store.port';
import { toRecordedEvent } from '../../store/src/log-record';
import type { Projection } from './projection';
import type { ProjectionStateStore } from './projection-state.store';

export interface CatchUpOptions {
  /** Save the state and its checkpoint every this many events read (and at the end). */
  readonly saveEvery?: number;
  /** Called with the position reached, for a progress bar. */
  readonly onProgress?: (position: number) => void;
}

export interface ProjectionResult<S> {
  readonly state: S;
  /** The last log position the state includes. */
  readonly position: number;
  /** Whether the stored state was thrown away (new projection, or another version) and built from 0. */
  readonly rebuilt: boolean;
}

/**
 * Folds events into a projection's state, from a position to a position. Only the types
 * the projection handles are parsed and given to `evolve`. Pure apart from reading.
 */
export async function foldLog<S>(
  store: EventStore,
  projection: Projection<S>,
  from: { readonly state: S; readonly position: number },
  options: { readonly toPosition?: number; readonly onEvent?: (position: number, state: S) => Promise<void> | void } = {},
): Promise<{ state: S; position: number }> {
  const handles = new Set<string>(projection.handles satisfies readonly EventType[]);
  let state = from.state;
  let position = from.position;
  const read = options.toPosition === undefined ? {} : { toPosition: options.toPosition };
  for await (const record of store.readAll(position + 1, { pageSize: 5000, ...read })) {
    if (handles.has(record.type)) state = projection.evolve(state, toRecordedEvent(record) as RecordedEvent);
    else if (record.type === 'EventRetracted' && projection.retract) {
      // The log guarantees the target is an earlier event of the same learner, retracted once.
      const retraction = toRecordedEvent(record) as RecordedEvent<EventRetracted>;
      const target = (await store.findEvents([retraction.data.retractedEventId])).get(retraction.data.retractedEventId);
      if (target && handles.has(target.type)) state = projection.retract(state, toRecordedEvent(target), retraction);
    }
    position = record.position;
    // Awaited only when the callback has work to wait for (a save): not a promise per event.
    const pending = options.onEvent?.(position, state);
    if (pending) await pending;
  }
  return { state, position };
}

/**
 * Brings a projection up to the head of the log from its checkpoint (a catch-up
 * subscription over the store port, not the in-memory event bus). A projection never
 * stored, or stored by another version, is built from position 0. The state and its
 * checkpoint are saved together every `saveEvery` events, so a crash resumes from the
 * last save, neither ahead of nor behind the log.
 */
export async function catchUp<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  options: CatchUpOptions = {},
): Promise<ProjectionResult<S>> {
  const stored = await states.load(projection.name);
  const rebuilt = stored === undefined || stored.version !== projection.version;
  const start = rebuilt
    ? { state: projection.initialState(), position: 0 }
    : { state: projection.fromJson ? projection.fromJson(stored.state) : (stored.state as S), position: stored.position };
  const saveEvery = options.saveEvery ?? 100_000;
  let lastSaved = start.position;
  const save = (state: S, position: number) =>
    states.save({
      name: projection.name,
      version: projection.version,
      position,
      state: projection.toJson ? projection.toJson(state) : state,
    });
  const end = await foldLog(store, projection, start, {
    onEvent: (position, state) => {
      if (position % 5000 === 0) options.onProgress?.(position);
      if (position - lastSaved < saveEvery) return undefined;
      lastSaved = position;
      return save(state, position);
    },
  });
  if (rebuilt || end.position !== lastSaved) await save(end.state, end.position);
  options.onProgress?.(end.position);
  return { ...end, rebuilt };
}

/** Throws a projection's stored state away and builds it again from position 0. */
export async function rebuild<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  options: CatchUpOptions = {},
): Promise<ProjectionResult<S>> {
  await states.reset(projection.name);
  return catchUp(store, states, projection, options);
}

/**
 * The state as known at a position of the log (transaction time), replayed from the log
 * alone into a fresh state: what an auditor's replay and an as-known-at question start from.
 */
export async function stateAt<S>(store: EventStore, projection: Projection<S>, position: number): Promise<S> {
  const { state } = await foldLog(store, projection, { state: projection.initialState(), position: 0 }, { toPosition: position });
  return state;
}
