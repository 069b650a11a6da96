import type { JSONEventData } from '@kurrent/kurrentdb-client';
import { canonicalJson } from '@ledger/integrity';
import type { LogRecord } from '../log-record';

/**
 * How one LogRecord is stored as one KurrentDB event of the log stream.
 *
 * - KurrentDB event id   = the ledger eventId (a UUID, sent in lower case), so the server's
 *                          own idempotence check (on ids at an expected revision) agrees with ours;
 * - KurrentDB event type = the ledger event type (`LearnerAdmitted`...);
 * - KurrentDB data       = the event's data as a JSON object (so the KurrentDB UI, projections
 *                          and connectors see the event as it is), written from the canonical text;
 * - KurrentDB metadata   = every other column of the LogRecord (below), as a JSON object;
 * - KurrentDB revision   = position - 1: event N of the ledger is revision N-1 of the log stream.
 *
 * Reading back, `data` is canonicalised again (RFC 8785): canonicalJson is a function of the JSON
 * value and JSON.stringify/JSON.parse round-trip every value canonicalJson can produce, so the text
 * read is the text that was hashed (test/contract/kurrentdb-event-store.spec.ts holds this).
 */
export const LEDGER_FORMAT = 'impact-ledger/log-record/1';

/** The metadata of a log event. A type alias (not an interface) so it is a JSON record for the client. */
export type LogEventMetadata = {
  readonly ledgerFormat: string;
  readonly eventId: string;
  readonly position: number;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly hash: string;
  readonly chain: string;
};

/** The part of a record the in-process index keeps (no data). */
export interface IndexEntry {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly recordedAt: string;
  readonly chain: string;
}

/** What the adapter reads of a KurrentDB recorded event (a structural subset of the client's RecordedEvent). */
export interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint | number;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** The log stream holds something this adapter did not write, or not in the order it writes. */
export class KurrentDbLogError extends Error {
  constructor(
    readonly logStream: string,
    detail: string,
  ) {
    super(`KurrentDB log stream ${logStream}: ${detail}`);
    this.name = 'KurrentDbLogError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** KurrentDB event ids are UUIDs (EVENTS.md makes eventId one): the id the server gets, or null if it is none. */
export function kurrentIdOf(eventId: string): string | null {
  const id = eventId.toLowerCase();
  return UUID.test(id) && id !== NIL_UUID ? id : null;
}

export function toEventData(record: LogRecord, logStream: string): JSONEventData {
  const id = kurrentIdOf(record.eventId);
  if (id === null) throw new TypeError(`eventId ${JSON.stringify(record.eventId)} is not a UUID: KurrentDB event ids must be UUIDs`);
  const data = JSON.parse(record.data) as unknown;
  if (!isRecord(data)) throw new KurrentDbLogError(logStream, `event ${record.eventId}: data must be a JSON object`);
  const metadata: LogEventMetadata = {
    ledgerFormat: LEDGER_FORMAT,
    eventId: record.eventId,
    position: record.position,
    streamId: record.streamId,
    streamRevision: record.streamRevision,
    learnerId: record.learnerId,
    occurredAt: record.occurredAt,
    recordedAt: record.recordedAt,
    hash: record.hash,
    chain: record.chain,
  };
  return { id, contentType: 'application/json', type: record.type, data: data, metadata };
}

/**
 * The size the server counts against MaxAppendSize for one event: data bytes + metadata bytes
 * + 2 × the length of the type (KurrentDB `Event.SizeOnDisk`). The client sends JSON data and
 * metadata as UTF-8 of JSON.stringify, so this is the same number.
 */
export function eventSize(event: JSONEventData): number {
  const m = event.metadata;
  const metadata = m === undefined ? 0 : m instanceof Uint8Array ? m.byteLength : Buffer.byteLength(JSON.stringify(m), 'utf8');
  return Buffer.byteLength(JSON.stringify(event.data), 'utf8') + metadata + event.type.length * 2;
}

/** The index columns of a stored event, checked against its revision. */
export function indexEntryOf(event: StoredEvent, logStream: string): IndexEntry {
  const metadata = checkedMetadata(event, logStream);
  return {
    position: metadata.position,
    eventId: metadata.eventId,
    streamId: metadata.streamId,
    streamRevision: metadata.streamRevision,
    recordedAt: metadata.recordedAt,
    chain: metadata.chain,
  };
}

/** The LogRecord a stored event holds. */
export function fromStoredEvent(event: StoredEvent, logStream: string): LogRecord {
  const metadata = checkedMetadata(event, logStream);
  if (!event.isJson || !isRecord(event.data)) {
    throw new KurrentDbLogError(logStream, `revision ${String(event.revision)}: data is not a JSON object`);
  }
  return {
    position: metadata.position,
    eventId: metadata.eventId,
    streamId: metadata.streamId,
    streamRevision: metadata.streamRevision,
    type: event.type,
    learnerId: metadata.learnerId,
    occurredAt: metadata.occurredAt,
    recordedAt: metadata.recordedAt,
    data: canonicalJson(event.data),
    hash: metadata.hash,
    chain: metadata.chain,
  };
}

function checkedMetadata(event: StoredEvent, logStream: string): LogEventMetadata {
  const revision = Number(event.revision);
  const where = `revision ${revision}`;
  if (event.streamId !== logStream) throw new KurrentDbLogError(logStream, `${where}: read an event of stream ${event.streamId}`);
  const m = event.metadata;
  if (!isRecord(m) || m['ledgerFormat'] !== LEDGER_FORMAT) {
    throw new KurrentDbLogError(logStream, `${where} (${event.type}) was not written by the ledger's KurrentDB adapter`);
  }
  const fields: LogEventMetadata = {
    ledgerFormat: LEDGER_FORMAT,
    eventId: str(m, 'eventId', logStream, where),
    position: int(m, 'position', logStream, where),
    streamId: str(m, 'streamId', logStream, where),
    streamRevision: int(m, 'streamRevision', logStream, where),
    learnerId: m['learnerId'] === null ? null : str(m, 'learnerId', logStream, where),
    occurredAt: str(m, 'occurredAt', logStream, where),
    recordedAt: str(m, 'recordedAt', logStream, where),
    hash: str(m, 'hash', logStream, where),
    chain: str(m, 'chain', logStream, where),
  };
  if (fields.position !== revision + 1) {
    throw new KurrentDbLogError(logStream, `${where} holds position ${fields.position}: the log must be gapless from revision 0`);
  }
  if (hexOf(event.id) !== hexOf(fields.eventId)) {
    throw new KurrentDbLogError(logStream, `${where}: KurrentDB event id ${event.id} is not the ledger eventId ${fields.eventId}`);
  }
  return fields;
}

function hexOf(uuid: string): string {
  return uuid.toLowerCase().replace(/[^0-9a-f]/g, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function str(m: Record<string, unknown>, key: string, logStream: string, where: string): string {
  const value = m[key];
  if (typeof value !== 'string') throw new KurrentDbLogError(logStream, `${where}: metadata.${key} is not a string`);
  return value;
}

function int(m: Record<string, unknown>, key: string, logStream: string, where: string): number {
  const value = m[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new KurrentDbLogError(logStream, `${where}: metadata.${key} is not a non-negative integer`);
  }
  return value;
}
