/**
 * The indexes of the SQLite events table, declared in one place: every open that writes makes
 * those missing, and a bulk load into an empty ledger drops them all and builds them once at
 * its end (`SqliteEventStore.deferIndexes`), meanwhile answering what they answer from memory
 * (`DeferredIndexes`).
 *
 * Why: event ids are random UUIDs and stream ids name random learners, so every event lands
 * on a random page of both unique indexes. At full scale (11 million events) those indexes
 * outgrow the page cache and each commit of 100,000 events rewrites a large share of their
 * pages (WAL, then checkpoint); `CREATE UNIQUE INDEX` at the end sorts once and writes each
 * page once.
 */
export interface EventIndex {
  readonly name: string;
  /** Its CREATE statement, `IF NOT EXISTS`. */
  readonly create: string;
  /**
   * A ledger made before the indexes were declared here holds this one as a UNIQUE constraint
   * of its table (an `sqlite_autoindex_events_N`, which cannot be dropped): it is not made a
   * second time there, and such a ledger is never loaded with deferred indexes.
   */
  readonly tableConstraintBefore?: boolean;
}

/**
 * The events of some types in log order without reading the rest of the log (explain's
 * counters, the retractions of a provenance page, an audit's rare types). A typed page reads
 * it per type, merged in position order (`SqliteEventStore.pageStatement`).
 */
export const TYPE_INDEX: EventIndex = { name: 'events_type_position', create: 'CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position)' };

export const EVENT_INDEXES: readonly EventIndex[] = [
  { name: 'events_event_id', create: 'CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id)', tableConstraintBefore: true },
  {
    name: 'events_stream_revision',
    create: 'CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, stream_revision)',
    tableConstraintBefore: true,
  },
  TYPE_INDEX,
];

/** The largest position the tables hold (Int32Array); a longer log ends the deferral (the indexes are built). */
export const MAX_DEFERRED_POSITION = 0x7fff_ffff;

/** What the tables check a candidate position against: the row at that position, or undefined (none). */
export interface RowKeys {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamRevision: number;
}

/**
 * Strings (event ids, stream ids) to positions of the log, in two typed arrays (8 bytes a slot,
 * about 130 MB for 11 million event ids, where a Map of the strings would take 900 MB). A slot
 * keeps a 32-bit hash of its key, not the key: a slot whose hash matches is checked against
 * the row at its position (`holds`), so an answer is exact, never a guess.
 */
export class PositionTable {
  private hashes: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(bits = 16) {
    this.hashes = new Int32Array(1 << bits);
    this.values = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The position stored for `key` (0: none). */
  get(key: string, holds: (position: number, key: string) => boolean): number {
    return this.values[this.slotOf(key, hashOf(key), holds)] ?? 0;
  }

  /** Stores `position` for `key`; answers the position it held before (0: none). */
  set(key: string, position: number, holds: (position: number, key: string) => boolean): number {
    const hash = hashOf(key);
    const slot = this.slotOf(key, hash, holds);
    const before = this.values[slot] ?? 0;
    this.values[slot] = position;
    if (before !== 0) return before;
    this.hashes[slot] = hash;
    this.count += 1;
    if (this.count * 10 > this.values.length * 7) this.grow();
    return 0;
  }

  /** The slot that holds `key`, or the empty slot where it goes (linear probing). */
  private slotOf(key: string, hash: number, holds: (position: number, key: string) => boolean): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = this.values[slot] ?? 0;
      if (value === 0 || (this.hashes[slot] === hash && holds(value, key))) return slot;
    }
  }

  private grow(): void {
    const { hashes, values } = this;
    this.hashes = new Int32Array(hashes.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.mask = this.values.length - 1;
    for (let old = 0; old < values.length; old += 1) {
      const value = values[old] ?? 0;
      if (value === 0) continue;
      const hash = hashes[old] ?? 0;
      let slot = hash & this.mask;
      while ((this.values[slot] ?? 0) !== 0) slot = (slot + 1) & this.mask;
      this.hashes[slot] = hash;
      this.values[slot] = value;
    }
  }
}

/** FNV-1a over the UTF-16 code units, then a murmur3 finalizer (the low bits pick the slot). */
export function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * What the dropped indexes answer, for the log a bulk load writes into an empty ledger: the
 * position of each event id, and each stream's positions (its last, and a link from each
 * position to the stream's previous one). Rows are read by position (the rowid) to check a
 * candidate, so every answer is the log's own. Only the loading connection's writes are here:
 * the store checks, in each write transaction, that the log's head is the last position
 * written here (nobody else wrote), and ends the deferral on any rollback.
 */
export class DeferredIndexes {
  private readonly ids = new PositionTable(20);
  private readonly streams = new PositionTable(18);
  /** previous[position]: the position of the stream's event before it (0: it is the stream's first). */
  private previous = new Int32Array(1 << 20);
  /** The last position written through here: the log's head while nobody else writes. */
  head = 0;

  constructor(private readonly rowAt: (position: number) => RowKeys | undefined) {}

  private readonly holdsEvent = (position: number, eventId: string): boolean => this.rowAt(position)?.eventId === eventId;
  private readonly holdsStream = (position: number, streamId: string): boolean => this.rowAt(position)?.streamId === streamId;

  /** The position of the event with this id (undefined: the log has none). */
  positionOf(eventId: string): number | undefined {
    const position = this.ids.get(eventId, this.holdsEvent);
    return position === 0 ? undefined : position;
  }

  /** The last revision of a stream (undefined: no such stream). */
  lastRevision(streamId: string): number | undefined {
    const last = this.streams.get(streamId, this.holdsStream);
    return last === 0 ? undefined : this.rowAt(last)?.streamRevision;
  }

  /** The positions of a stream's events, in revision order (they are appended in it). */
  positionsOf(streamId: string): number[] {
    const positions: number[] = [];
    for (let at = this.streams.get(streamId, this.holdsStream); at !== 0; at = this.previous[at] ?? 0) positions.push(at);
    return positions.reverse();
  }

  /** A row written at `position` (the next one). */
  added(position: number, eventId: string, streamId: string): void {
    this.ids.set(eventId, position, this.holdsEvent);
    const before = this.streams.set(streamId, position, this.holdsStream);
    if (position >= this.previous.length) {
      const longer = new Int32Array(Math.max(this.previous.length * 2, position + 1));
      longer.set(this.previous);
      this.previous = longer;
    }
    this.previous[position] = before;
    this.head = position;
  }

  /** Events held (for tests and messages). */
  get events(): number {
    return this.ids.size;
  }
}
