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
 * Learner ids interned to dense integers 0..size-1, in order of first appearance. The
 * id-to-index map is built only when an id is looked up: answering a question from a
 * stored state needs the indexes, not the map.
 */
export class LearnerIndex {
  private ids: string[] | undefined;
  private byId: Map<string, number> | undefined;

  private constructor(
    private count: number,
    /** The ids as stored (UTF-8, one a line), decoded on first use. */
    private stored: Uint8Array | undefined,
  ) {
    if (stored === undefined) this.ids = [];
  }

  static empty(): LearnerIndex {
    return new LearnerIndex(0, undefined);
  }

  get size(): number {
    return this.count;
  }

  /** The index of a learner id, interning it on first sight. */
  intern(learnerId: string): number {
    const byId = this.map();
    let index = byId.get(learnerId);
    if (index === undefined) {
      index = this.count++;
      byId.set(learnerId, index);
      this.list().push(learnerId);
    }
    return index;
  }

  /** The index of a learner id already seen, or -1. */
  find(learnerId: string): number {
    return this.map().get(learnerId) ?? -1;
  }

  idOf(index: number): string {
    const id = this.list()[index];
    if (id === undefined) throw new RangeError(`no learner at index ${index}`);
    return id;
  }

  /** Learner ids are `[A-Za-z0-9._-]` (EVENTS.md): a newline cannot be part of one. */
  toJson(): { count: number; ids: Uint8Array } {
    return { count: this.count, ids: this.stored ?? new TextEncoder().encode(this.list().join('\n')) };
  }

  static fromJson(json: { count: number; ids: Uint8Array }): LearnerIndex {
    return new LearnerIndex(json.count, json.ids);
  }

  private list(): string[] {
    if (this.ids === undefined) {
      const text = new TextDecoder().decode(this.stored);
      this.ids = text === '' ? [] : text.split('\n');
    }
    this.stored = undefined; // the list is now the truth; it is encoded again on save
    return this.ids;
  }

  private map(): Map<string, number> {
    if (this.byId === undefined) {
      const ids = this.list();
      this.byId = new Map();
      for (let i = 0; i < ids.length; i++) this.byId.set(ids[i] ?? '', i);
    }
    return this.byId;
  }
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
