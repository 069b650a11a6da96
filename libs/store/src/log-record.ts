import { canonicalJson } from '@ledger/integrity';
import { chainHashHex, leafHashHex } from '@ledger/integrity';
import { commitmentHex, commitmentOfCheckedSalt, isHex32, leafV2HashHex } from '@ledger/integrity';
import type { LogEvent, RecordedEvent } from '@ledger/events';
import { streamIdOf } from '@ledger/events';
import { utcInstantKey } from '@ledger/events';

/**
 * One event as every adapter stores it: the columns of a row, the same in SQLite,
 * PostgreSQL and KurrentDB metadata. `data` is the canonical JSON text (RFC 8785) of the
 * event's data; `hash` is the RFC 6962 leaf hash of the canonical record, and `chain` the
 * hash chain value up to and including this event (both hex).
 *
 * Leaf v2 (docs/erasure.md): `leafVersion` 2, the leaf hashes `commitment` (SHA-256 of
 * `salt` and the personal part) with position, type and recordedAt. An erased record keeps
 * those, its hash and chain; its personal part is gone: `erased` is true, `salt` absent,
 * `data` and `occurredAt` are '', `learnerId` null, `eventId` and `streamId` are
 * `erased:<position>` and `streamRevision` 0 (placeholders that name no one).
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
  /** 2: leaf v2; absent (or 1): leaf v1, the canonical record itself. */
  readonly leafVersion?: 1 | 2;
  /** Leaf v2: SHA-256(salt || personal part), hex. Stays after erasure. */
  readonly commitment?: string;
  /** Leaf v2, not erased: the 32 random bytes of the commitment, hex. Never given to projections. */
  readonly salt?: string;
  /** The personal part was erased (`EventStore.eraseLearner`): no payload. */
  readonly erased?: boolean;
}

/** The event id and stream id an erased record keeps: its position, nothing of the learner. */
export function erasedPlaceholder(position: number): string {
  return `erased:${position}`;
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
  /** Leaf v2: the event's 32-byte salt (hex), drawn by the store. Absent: a v1 leaf. */
  readonly salt?: string;
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
  if (at.salt === undefined) {
    record.hash = leafHashHex(canonicalRecord(record));
  } else {
    record.leafVersion = 2;
    record.salt = at.salt;
    record.commitment = commitmentHex(at.salt, record);
    record.hash = leafV2HashHex({ commitment: record.commitment, position: record.position, recordedAt: record.recordedAt, type: record.type });
  }
  record.chain = chainHashHex(previousChain, record.hash);
  return record;
}

/**
 * The leaf hash a stored record's content gives, or null when it cannot be recomputed (an
 * erased v1 record: its leaf hashed the payload that is gone). v2: from the salt and personal
 * part when present (the commitment recomputed, then the leaf), else from the stored commitment.
 */
export function recomputeLeaf(record: LogRecord): string | null {
  if (record.leafVersion !== 2) return record.erased === true ? null : leafHashHex(canonicalRecord(record));
  const { position, recordedAt, type } = record;
  if (record.erased === true) {
    return isHex32(record.commitment) ? leafV2HashHex({ commitment: record.commitment, position, recordedAt, type }) : '';
  }
  if (!isHex32(record.salt)) return ''; // a v2 record with its payload but no salt: it cannot be what was hashed
  // The payload must give the stored commitment: after an erasure, that commitment is all that is left to hash.
  const commitment = commitmentOfCheckedSalt(record.salt, record);
  if (commitment !== record.commitment) return '';
  return leafV2HashHex({ commitment, position, recordedAt, type });
}

/**
 * Recomputes a stored record's hashes: what `verify` compares with what is stored. An erased
 * v1 record's leaf cannot be recomputed: its stored hash is taken, and only the chain is checked.
 */
export function recomputeHashes(record: LogRecord, previousChain: string): { hash: string; chain: string } {
  const hash = recomputeLeaf(record) ?? record.hash;
  return { hash, chain: chainHashHex(previousChain, hash) };
}

/** `LearnerActive` carries `{}`: one shared, frozen object instead of a parse per event. */
const EMPTY_DATA = Object.freeze({});

export function toRecordedEvent(record: LogRecord): RecordedEvent {
  if (record.erased === true) throw new Error(`the event at position ${record.position} was erased: it has no payload to read`);
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
