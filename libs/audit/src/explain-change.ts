/**
 * What changed a figure between two log positions, told by its events: shared by the audit's
 * restatements of a published report and by the change of a figure between two moments.
 */
import type { EventRetracted, RecordedEvent } from '@ledger/events';
import type { Evidence } from '@ledger/projection-kit';
import type { ExplainedEvent } from '@ledger/projection-runtime';
import { explained, recordsAt } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { toRecordedEvent } from '@ledger/store';

/** An event named by a finding: enough to find it in the log and check it. */
export type EventRef = ExplainedEvent;

/** What changed a figure: events recorded since that it counts, events it counted that were retracted since, and learners erased since. */
export interface Restatement {
  readonly added: readonly EventRef[];
  /** `reason`: the retraction's own words (`EventRetracted.data.reason`), when one was found. */
  readonly retracted: ReadonlyArray<{ readonly event: EventRef; readonly by: EventRef | null; readonly reason?: string }>;
  /**
   * Learners erased between the two moments (`LearnerErased` events): a count, never who.
   * Their events are counted at neither moment now; for a published figure, they explain
   * why the events no longer give the value it had (docs/erasure.md).
   */
  readonly erased: { readonly learners: number };
  /** Every change is one of those. */
  readonly explained: boolean;
}

const ref = explained;

/** The events at these positions, by position (one read of the log, whatever their number). */
export async function eventsAt(store: EventStore, positions: Iterable<number>): Promise<Map<number, EventRef>> {
  return new Map((await recordsAt(store, [...positions])).map((event) => [event.position, event]));
}

/**
 * What changed a figure between two log positions, by the evidence of the read model that
 * answers it: events it counts that were recorded after the first position, and events it
 * counted that were retracted since (with the retraction). Explained when every change is one
 * of those.
 */
export async function explainChange(
  store: EventStore,
  before: { evidence: Evidence; position: number },
  after: { evidence: Evidence; position: number },
): Promise<Restatement> {
  const added: EventRef[] = [];
  const retracted: Array<{ event: EventRef; by: EventRef | null; reason?: string }> = [];
  const retractedBy = (by: LogRecord | undefined) => (by ? { by: ref(by), reason: (toRecordedEvent(by) as RecordedEvent<EventRetracted>).data.reason } : { by: null });
  const retractionsSince = new Map<string, LogRecord>();
  let erasedLearners = 0;
  for await (const record of store.readAll(before.position + 1, { toPosition: after.position, types: ['EventRetracted', 'LearnerErased'], scan: true })) {
    if (record.type === 'LearnerErased') {
      erasedLearners += 1;
      continue;
    }
    if (record.erased === true) continue; // an erased learner's retraction: no payload (docs/erasure.md)
    retractionsSince.set((toRecordedEvent(record) as RecordedEvent<EventRetracted>).data.retractedEventId, record);
  }
  let explained = true;
  if (before.evidence.kind === 'positions' && after.evidence.kind === 'positions') {
    const then = new Set(before.evidence.positions);
    const now = new Set(after.evidence.positions);
    const onlyNow = [...now].filter((position) => !then.has(position));
    const onlyThen = [...then].filter((position) => !now.has(position));
    const events = await eventsAt(store, [...onlyNow, ...onlyThen]);
    for (const position of onlyNow) {
      const event = events.get(position);
      if (!event) continue;
      added.push(event);
      if (position <= before.position) explained = false; // known then, yet not counted then
    }
    for (const position of onlyThen) {
      const event = events.get(position);
      if (!event) continue;
      const by = retractionsSince.get(event.eventId);
      retracted.push({ event, ...retractedBy(by) });
      if (!by) explained = false;
    }
  } else if (after.evidence.kind === 'scan') {
    // A counter: what it counts among the events recorded since, and among the targets of the retractions since.
    const { types, matches } = after.evidence;
    for await (const record of store.readAll(before.position + 1, { toPosition: after.position, types: [...types], withoutHashes: true, scan: true })) {
      if (record.erased !== true && !retractionsSince.has(record.eventId) && matches(toRecordedEvent(record))) added.push(ref(record));
    }
    const targets = await store.findEvents([...retractionsSince.keys()]);
    for (const [id, target] of targets) {
      if (target.position > before.position || !types.includes(target.type as never) || !matches(toRecordedEvent(target))) continue;
      retracted.push({ event: ref(target), ...retractedBy(retractionsSince.get(id)) });
    }
  }
  retracted.sort((x, y) => x.event.position - y.event.position);
  return { added, retracted, erased: { learners: erasedLearners }, explained };
}
