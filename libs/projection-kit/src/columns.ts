import type { Instant } from '@ledger/events';

/**
 * Compact building blocks for read models over millions of learners: growable typed
 * columns, learner ids interned to dense integers, and a bitset. A JSON state of millions
 * of objects would cost gigabytes to hold and seconds to save; these cost a few bytes a row
 * and serialize as base64 of their bytes.
 */

type NumericArray = Int32Array | Float64Array | Uint8Array;
/** A typed array whose views are of its own type: what `subarray` gives a column back. */
type Viewable<A> = { subarray(begin?: number, end?: number): A } & NumericArray;

interface NumericArrayType<A extends Viewable<A>> {
  new (length: number): A;
  /** A view of stored bytes (8-aligned: state-encoding.ts), not a copy. */
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/** An append-only column of numbers, grown by doubling. */
export class Column<A extends Viewable<A>> {
  private data: A;
  private size = 0;

  constructor(
    private readonly Type: NumericArrayType<A>,
    capacity = 1024,
  ) {
    this.data = new Type(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(value: number): number {
    if (this.size === this.data.length) this.grow(Math.max(1024, this.size * 2));
    this.data[this.size] = value;
    return this.size++;
  }

  at(index: number): number {
    return this.data[index] ?? 0;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** The rows so far, without a copy (valid until the next push). */
  values(): A {
    return this.data.subarray(0, this.size);
  }

  /** The number of rows whose value is <= `value`, for a column in ascending order (a bisection). */
  countAtMost(value: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.data[mid] ?? 0) <= value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The row holding `value` in a column in ascending order, or -1. */
  indexOf(value: number): number {
    const index = this.countAtMost(value) - 1;
    return index >= 0 && this.data[index] === value ? index : -1;
  }

  /** The rows' bytes (a view, not a copy: the state store writes them before the next push). */
  toJson(): Uint8Array {
    const rows = this.values();
    return new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
  }

  static fromJson<A extends Viewable<A>>(Type: NumericArrayType<A>, bytes: Uint8Array): Column<A> {
    const rows = bytes.byteLength / Type.BYTES_PER_ELEMENT;
    const column = new Column(Type, 0);
    if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0) {
      // A view of the stored bytes, not a copy (they are 8-aligned: state-encoding.ts); the first push copies.
      column.data = new Type(bytes.buffer, bytes.byteOffset, rows);
    } else {
      column.data = new Type(rows);
      new Uint8Array(column.data.buffer).set(bytes);
    }
    column.size = rows;
    return column;
  }

  private grow(capacity: number): void {
    const next = new this.Type(capacity);
    next.set(this.data);
    this.data = next;
  }
}

/**
 * Learner ids interned to dense integers 0..size-1, in order of first appearance, held as
 * their stored form: the ids' UTF-8 bytes, one a line, in one growable byte array, with an
 * open-addressing hash table of indexes over it. Millions of learners then cost about 30
 * bytes each outside the JavaScript heap (a `Map` and an array of strings cost about 90 in
 * it, scanned by every garbage collection), saving copies nothing but the bytes, and loading
 * makes no string: the table is built from the bytes when an id is first looked up, and an
 * id becomes a string only when `idOf` asks for it.
 */
export class LearnerIndex {
  /** Whether `bytes` may be written in place: the loaded bytes are a view of the stored state's, copied on the first intern. */
  private owned = false;
  /** Where each id starts in `bytes` (its end is the next one's start - 1, or `used`); built on first need. */
  private starts: Int32Array | undefined;
  /** 1 + the index of an id in each slot, 0 for none; a power of two at least twice the ids. Built on first lookup. */
  private slots: Int32Array | undefined;
  /** The id last looked up, as UTF-8 bytes in char codes (itself when ASCII): what `probe` compared. */
  private key = '';

  private constructor(
    private count: number,
    /** The ids, UTF-8, one a line: `used` bytes of it. */
    private bytes: Uint8Array,
    private used: number,
  ) {}

  static empty(): LearnerIndex {
    return new LearnerIndex(0, new Uint8Array(0), 0);
  }

  get size(): number {
    return this.count;
  }

  /** The index of a learner id, interning it on first sight. */
  intern(learnerId: string): number {
    const slots = this.table();
    const slot = this.probe(slots, learnerId);
    const found = slots[slot] ?? 0;
    if (found !== 0) return found - 1;
    const index = this.append(this.key);
    slots[slot] = index + 1;
    if (this.count * 2 > slots.length) this.slots = this.rehash(slots.length * 2);
    return index;
  }

  /** The index of a learner id already seen, or -1. */
  find(learnerId: string): number {
    const slots = this.table();
    return (slots[this.probe(slots, learnerId)] ?? 0) - 1;
  }

  idOf(index: number): string {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no learner at index ${index}`);
    const starts = this.lines();
    return DECODER.decode(this.bytes.subarray(starts[index] ?? 0, this.endOf(starts, index)));
  }

  /** Learner ids are `[A-Za-z0-9._-]` (EVENTS.md): a newline cannot be part of one. The bytes are a view (valid until the next intern). */
  toJson(): { count: number; ids: Uint8Array } {
    return { count: this.count, ids: this.bytes.subarray(0, this.used) };
  }

  static fromJson(json: { count: number; ids: Uint8Array }): LearnerIndex {
    return new LearnerIndex(json.count, json.ids, json.ids.byteLength);
  }

  private endOf(starts: Int32Array, index: number): number {
    return index + 1 < this.count ? (starts[index + 1] ?? 0) - 1 : this.used;
  }

  /** Where each id starts, found from the line breaks of the bytes the first time. */
  private lines(): Int32Array {
    if (this.starts === undefined) {
      const starts = new Int32Array(Math.max(1024, this.count));
      const { bytes, used } = this;
      let line = 0;
      if (this.count > 0) {
        starts[line++] = 0;
        for (let at = 0; at < used; at++) if (bytes[at] === NEWLINE) starts[line++] = at + 1;
      }
      if (line !== this.count) throw new Error(`stored learner index holds ${line} ids where it says ${this.count}`);
      this.starts = starts;
    }
    return this.starts;
  }

  private table(): Int32Array {
    this.slots ??= this.rehash(tableSizeFor(this.count));
    return this.slots;
  }

  /** A table of `size` slots holding every id so far, hashed from its bytes. */
  private rehash(size: number): Int32Array {
    const starts = this.lines();
    const { bytes } = this;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let index = 0; index < this.count; index++) {
      const end = this.endOf(starts, index);
      let hash = FNV_OFFSET;
      for (let at = starts[index] ?? 0; at < end; at++) hash = Math.imul(hash ^ (bytes[at] ?? 0), FNV_PRIME);
      let slot = mixed(hash) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    return slots;
  }

  /**
   * The slot of `id` in the table: the one holding it, or the empty one where it would go.
   * The id is hashed and compared as UTF-8 bytes (an ASCII id, the rule, as it is).
   */
  private probe(slots: Int32Array, id: string): number {
    let hash = FNV_OFFSET;
    let wide = 0;
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      wide |= code;
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
    let key = id;
    if (wide > 0x7f) {
      key = binaryOf(id);
      hash = FNV_OFFSET;
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
    }
    this.key = key;
    const starts = this.lines();
    const { bytes } = this;
    const mask = slots.length - 1;
    for (let slot = mixed(hash) & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot] ?? 0;
      if (held === 0) return slot;
      const start = starts[held - 1] ?? 0;
      if (this.endOf(starts, held - 1) - start !== key.length) continue;
      let i = 0;
      while (i < key.length && bytes[start + i] === key.charCodeAt(i)) i++;
      if (i === key.length) return slot;
    }
  }

  /** Adds an id (UTF-8 bytes in char codes) after the others; its index. */
  private append(key: string): number {
    const at = this.count === 0 ? 0 : this.used + 1;
    const need = at + key.length;
    if (!this.owned || need > this.bytes.length) {
      const next = new Uint8Array(Math.max(4096, need, this.owned ? this.bytes.length * 2 : need + (need >>> 1)));
      next.set(this.bytes.subarray(0, this.used));
      this.bytes = next;
      this.owned = true;
    }
    if (this.count > 0) this.bytes[this.used] = NEWLINE;
    for (let i = 0; i < key.length; i++) this.bytes[at + i] = key.charCodeAt(i);
    let starts = this.lines();
    if (this.count === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      this.starts = starts = grown;
    }
    starts[this.count] = at;
    this.used = need;
    return this.count++;
  }
}

const NEWLINE = 0x0a;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

/** FNV-1a's bits mixed (murmur3's finalizer), so that the low bits a table masks are spread. */
function mixed(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A string whose char codes are the UTF-8 bytes of `id` (what the table compares). */
function binaryOf(id: string): string {
  let key = '';
  for (const byte of ENCODER.encode(id)) key += String.fromCharCode(byte);
  return key;
}

/** The power of two at least twice `count` (and at least 1024). */
function tableSizeFor(count: number): number {
  let size = 1024;
  while (size < count * 2) size *= 2;
  return size;
}

/** A set of dense integers, grown on demand. */
export class Bitset {
  private bits = new Uint8Array(1024);

  has(index: number): boolean {
    return ((this.bits[index >>> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }

  add(index: number): void {
    const byte = index >>> 3;
    if (byte >= this.bits.length) {
      const next = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      next.set(this.bits);
      this.bits = next;
    }
    this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (index & 7));
  }

  delete(index: number): void {
    const byte = index >>> 3;
    if (byte < this.bits.length) this.bits[byte] = (this.bits[byte] ?? 0) & ~(1 << (index & 7));
  }
}

/**
 * Facts about learners, one row per event, in log order: who, when it occurred, the
 * position it became known at and the position of the retraction that removed it (0 while
 * it exists). A fact exists as known at position p when it was known by p and not yet
 * retracted: `existsAt(row, p)`. Projections add their own columns, row for row.
 */
export class LearnerFacts {
  constructor(
    readonly learner = new Column(Int32Array),
    readonly atMs = new Column(Float64Array),
    /** The digits of occurredAt past the millisecond, in nanoseconds: "latest" is exact, not rounded. */
    readonly subMsNanos = new Column(Int32Array),
    readonly position = new Column(Int32Array),
    readonly retractedAt = new Column(Int32Array),
  ) {}

  /** Retractions marked since this object was made: with `length`, tells whether it changed. */
  private retractions = 0;

  get length(): number {
    return this.position.length;
  }

  /** Changes with every fact added or retracted: a cache of an answer keys on it. */
  get changes(): number {
    return this.position.length + this.retractions;
  }

  add(learner: number, at: Instant, position: number): number {
    this.learner.push(learner);
    this.atMs.push(at.epochMs);
    this.subMsNanos.push(at.subMsNanos);
    this.retractedAt.push(0);
    return this.position.push(position);
  }

  /** Marks the fact recorded at `position` as retracted at `retractionPosition`; false when there is none. */
  retract(position: number, retractionPosition: number): boolean {
    const row = this.position.indexOf(position);
    if (row === -1) return false;
    this.retractedAt.set(row, retractionPosition);
    this.retractions += 1;
    return true;
  }

  existsAt(row: number, knownAt: number): boolean {
    const retractedAt = this.retractedAt.at(row);
    return this.position.at(row) <= knownAt && (retractedAt === 0 || retractedAt > knownAt);
  }

  /** Whether `row` is later than `than` by occurredAt, then by position (KPIS.md's "latest"). */
  isLater(row: number, than: number): boolean {
    const a = this.atMs.at(row);
    const b = this.atMs.at(than);
    if (a !== b) return a > b;
    const subA = this.subMsNanos.at(row);
    const subB = this.subMsNanos.at(than);
    return subA !== subB ? subA > subB : this.position.at(row) > this.position.at(than);
  }

  toJson(): Record<FactColumn, Uint8Array> {
    return {
      learner: this.learner.toJson(),
      atMs: this.atMs.toJson(),
      subMsNanos: this.subMsNanos.toJson(),
      position: this.position.toJson(),
      retractedAt: this.retractedAt.toJson(),
    };
  }

  static fromJson(json: Record<FactColumn, Uint8Array>): LearnerFacts {
    return new LearnerFacts(
      Column.fromJson(Int32Array, json.learner),
      Column.fromJson(Float64Array, json.atMs),
      Column.fromJson(Int32Array, json.subMsNanos),
      Column.fromJson(Int32Array, json.position),
      Column.fromJson(Int32Array, json.retractedAt),
    );
  }
}

type FactColumn = 'learner' | 'atMs' | 'subMsNanos' | 'position' | 'retractedAt';
