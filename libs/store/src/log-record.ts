import { canonicalJson } from '@ledger/integrity';
import { chainHashHex, leafHashHex } from '@ledger/integrity';
import type { LogEvent, RecordedEvent } from '@ledger/events';
import { streamIdOf } from '@ledger/events';
import { utcInstantKey } from '@ledger/events';

/**
 * One event as every adapter stores it: the columns of a row, the same in SQLite,
 * PostgreSQL and KurrentDB metadata. `data` is the canonical JSON text (RFC 8785) of the
 * event's data; `hash` is the RFC 6962 leaf hash of the canonical record, and `chain` the
 * hash chain value up to and including this event (both hex).
 */
export interface LogRecord {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly type: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: string;
  readonly hash: string;
  readonly chain: string;
}

/** The head of the log: what the next append builds on. */
export interface LogHead {
  readonly position: number;
  readonly recordedAt: string | null;
  /** Hex chain value of the last event; 64 zeros for an empty log. */
  readonly chain: string;
}

export const EMPTY_HEAD: LogHead = { position: 0, recordedAt: null, chain: '0'.repeat(64) };

/**
 * The canonical bytes an event's leaf hash commits to. Built by concatenation in the
 * key order RFC 8785 gives (data, eventId, learnerId, occurredAt, position, recordedAt,
 * streamId, streamRevision, type) because `data` is already canonical text; a test holds
 * it equal to `canonicalJson` of the whole record.
 */
export function canonicalRecord(record: Omit<LogRecord, 'hash' | 'chain'>): string {
  const learner = record.learnerId === null ? '' : `"learnerId":${JSON.stringify(record.learnerId)},`;
  return (
    `{"data":${record.data},"eventId":${JSON.stringify(record.eventId)},${learner}` +
    `"occurredAt":${JSON.stringify(record.occurredAt)},"position":${record.position},` +
    `"recordedAt":${JSON.stringify(record.recordedAt)},"streamId":${JSON.stringify(record.streamId)},` +
    `"streamRevision":${record.streamRevision},"type":${JSON.stringify(record.type)}}`
  );
}

export interface SealPosition {
  readonly position: number;
  readonly streamRevision: number;
  readonly recordedAt: string;
  /** Defaults to the event's own stream (EVENTS.md); the append plan passes it, having computed it once. */
  readonly streamId?: string;
}

/** Seals one event onto the head of the log: assigns nothing itself, hashes what it is given. */
export function sealRecord(event: LogEvent, at: SealPosition, previousChain: string): LogRecord {
  // Built in place, in its final shape: this runs once per appended event.
  const record: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    position: at.position,
    eventId: event.eventId,
    streamId: at.streamId ?? streamIdOf(event),
    streamRevision: at.streamRevision,
    type: event.type,
    learnerId: 'learnerId' in event ? event.learnerId : null,
    occurredAt: event.occurredAt,
    recordedAt: at.recordedAt,
    data: canonicalJson(event.data),
    hash: '',
    chain: '',
  };
  record.hash = leafHashHex(canonicalRecord(record));
  record.chain = chainHashHex(previousChain, record.hash);
  return record;
}

/** Recomputes a stored record's hashes: what `verify` compares with what is stored. */
export function recomputeHashes(record: LogRecord, previousChain: string): { hash: string; chain: string } {
  const hash = leafHashHex(canonicalRecord(record));
  return { hash, chain: chainHashHex(previousChain, hash) };
}

/** `LearnerActive` carries `{}`: one shared, frozen object instead of a parse per event. */
const EMPTY_DATA = Object.freeze({});

export function toRecordedEvent(record: LogRecord): RecordedEvent {
  const data = record.data === '{}' ? EMPTY_DATA : (JSON.parse(record.data) as unknown);
  // One object literal per event (this runs for every event a projection folds).
  if (record.learnerId === null) {
    return { eventId: record.eventId, type: record.type, occurredAt: record.occurredAt, data, position: record.position, streamId: record.streamId, streamRevision: record.streamRevision, recordedAt: record.recordedAt, hash: record.hash } as RecordedEvent;
  }
  return {
    eventId: record.eventId,
    type: record.type,
    learnerId: record.learnerId,
    occurredAt: record.occurredAt,
    data,
    position: record.position,
    streamId: record.streamId,
    streamRevision: record.streamRevision,
    recordedAt: record.recordedAt,
    hash: record.hash,
  } as RecordedEvent;
}

/**
 * Whether a stored record holds the same event as a new one (EVENTS.md idempotency):
 * same type, learner and data, and the same instant for `occurredAt` (offsets may differ).
 */
export function sameContent(record: LogRecord, event: LogEvent): boolean {
  return (
    record.type === event.type &&
    record.learnerId === ('learnerId' in event ? event.learnerId : null) &&
    record.data === canonicalJson(event.data) &&
    utcInstantKey(record.occurredAt) === utcInstantKey(event.occurredAt)
  );
}

/** The same rule between two events of one request, neither stored yet. */
export function sameEventContent(a: LogEvent, b: LogEvent): boolean {
  return (
    a.type === b.type &&
    ('learnerId' in a ? a.learnerId : null) === ('learnerId' in b ? b.learnerId : null) &&
    canonicalJson(a.data) === canonicalJson(b.data) &&
    utcInstantKey(a.occurredAt) === utcInstantKey(b.occurredAt)
  );
}
