import type { EventStore } from '@ledger/store';
import { IdempotencyConflictError, LedgerNotFoundError, WrongExpectedRevisionError } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { EMPTY_HEAD, recomputeHashes } from '@ledger/store';
import { positionAt } from '@ledger/store';
import { MAX_STREAM_ID, streamIdOf } from '@ledger/events';
import { validateEvent } from '@ledger/events';
import { admitted, campaignSent, courseStarted, learnerActive, retracted, uuidOf } from '../support/event-builders';

/** A clock the tests move by hand. */
export class ManualClock {
  constructor(private current = new Date('2021-01-10T12:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface StoreUnderTest {
  readonly store: EventStore;
  readonly clock: ManualClock;
  /** Opens the same log again, as another process would, without `create`. */
  reopen(): Promise<EventStore>;
  /** Opens, without `create`, a log that does not exist (the same one each call), where this adapter would keep one. */
  openMissing(): Promise<EventStore>;
  /** Drops what the store created; called after each test. */
  dispose(): Promise<void>;
}

/** Every record a read gives, in order. */
export async function collect(iterable: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

/**
 * The one contract every adapter of the event store port passes. Each adapter's spec calls
 * it with a factory that makes a fresh, empty store (a new file, a new schema...).
 */
export function eventStoreContract(open: () => Promise<StoreUnderTest>): void {
  let sut: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    sut = await open();
    store = sut.store;
  });
  afterEach(async () => {
    await sut.dispose();
  });

  describe('identity', () => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    async function identityReopened(): Promise<string> {
      const again = await sut.reopen();
      try {
        return (await again.identity()).logId;
      } finally {
        await again.close();
      }
    }

    it('has a log id made with the log: the same every time, and when the log is opened again, empty or not', async () => {
      const { logId } = await store.identity();
      expect(logId).toMatch(UUID);
      expect(await store.identity()).toEqual({ logId });
      expect(await identityReopened()).toBe(logId);
      await store.append({ events: [learnerActive(1, 'a')] });
      expect(await identityReopened()).toBe(logId);
      expect(await store.identity()).toEqual({ logId });
    });

    it('gives another log another id', async () => {
      const other = await open();
      try {
        expect((await other.store.identity()).logId).not.toBe((await store.identity()).logId);
      } finally {
        await other.dispose();
      }
    });

    it('refuses a log that does not exist unless told to create it, saying which command does, and creates nothing', async () => {
      const refused = sut.openMissing();
      await expect(refused).rejects.toBeInstanceOf(LedgerNotFoundError);
      await expect(refused).rejects.toThrow(/ledger import <file.ndjson>`, `ledger load-history <file>` or `ledger demo`/);
      await expect(sut.openMissing()).rejects.toBeInstanceOf(LedgerNotFoundError); // the first refusal made nothing
    });
  });

  it('reads the stored leaf hashes of a range of positions, in order, as the records carry them', async () => {
    await store.append({ events: [1, 2, 3, 4, 5].map((n) => learnerActive(n, 'a')) });
    const pages: Buffer[] = [];
    for await (const page of store.readLeafHashes(2, 4)) pages.push(page);
    const records = await collect(store.readAll(2, { toPosition: 4 }));
    expect(Buffer.concat(pages).toString('hex')).toBe(records.map((r) => r.hash).join(''));
    const beyond: Buffer[] = [];
    for await (const page of store.readLeafHashes(6, 9)) beyond.push(page);
    expect(Buffer.concat(beyond).length).toBe(0);
  });

  it('keeps every checkpoint saved, in order, and gives the latest ones; a log opened again has them', async () => {
    expect(await store.checkpoints()).toEqual([]);
    const saved = [1, 2, 3].map((n) => ({ treeSize: n * 10, signedAt: `2021-01-0${n}T00:00:00.000Z`, note: `origin\n${n * 10}\nroot${n}\n\n— origin sig${n}\n` }));
    for (const checkpoint of saved) await store.saveCheckpoint(checkpoint);
    expect(await store.checkpoints()).toEqual(saved);
    expect(await store.checkpoints(2)).toEqual(saved.slice(1));
    expect(await store.checkpoints(1)).toEqual([saved[2]]);
    const again = await sut.reopen();
    try {
      expect(await again.checkpoints()).toEqual(saved);
    } finally {
      await again.close();
    }
  });

  it('keeps the Merkle frontier given with a checkpoint, in the same write: the latest one of a size, null for a size without', async () => {
    expect(await store.checkpointFrontier(10)).toBeNull();
    await store.saveCheckpoint({ treeSize: 10, signedAt: '2021-01-01T00:00:00.000Z', note: 'a\n' });
    expect(await store.checkpointFrontier(10)).toBeNull();
    await store.saveCheckpoint({ treeSize: 10, signedAt: '2021-01-02T00:00:00.000Z', note: 'b\n' }, Buffer.alloc(64, 1));
    await store.saveCheckpoint({ treeSize: 10, signedAt: '2021-01-03T00:00:00.000Z', note: 'c\n' }, Buffer.alloc(64, 2));
    await store.saveCheckpoint({ treeSize: 11, signedAt: '2021-01-04T00:00:00.000Z', note: 'd\n' }, Buffer.alloc(96, 3));
    expect(await store.checkpointFrontier(10)).toEqual(Buffer.alloc(64, 2));
    expect(await store.checkpointFrontier(11)).toEqual(Buffer.alloc(96, 3));
    expect(await store.checkpointFrontier(12)).toBeNull();
    expect((await store.checkpoints()).map((c) => c.note)).toEqual(['a\n', 'b\n', 'c\n', 'd\n']);
  });

  it('keeps witness cosignatures append-only beside the checkpoints: by tree size, in order, a repeat not kept twice, in one write; a log opened again has them', async () => {
    expect(await store.cosignatures(10)).toEqual([]);
    expect(await store.saveCosignatures([])).toBe(0);
    await store.saveCheckpoint({ treeSize: 10, signedAt: '2021-01-01T00:00:00.000Z', note: 'origin\n10\nroot\n\n— origin sig\n' });
    const cosignature = (n: number, treeSize = 10) => ({
      treeSize,
      checkpoint: `origin\n${treeSize}\nroot\n`,
      witness: `w${n}+0000000${n}`,
      line: `— w${n} c2lnbmF0dXJl${n}`,
      cosignedAt: 1_600_000_000 + n,
      receivedAt: `2021-01-0${n}T00:00:00.000Z`,
    });
    expect(await store.saveCosignatures([cosignature(1), cosignature(2)])).toBe(2);
    expect(await store.saveCosignatures([cosignature(2), cosignature(3), cosignature(3)])).toBe(1);
    expect(await store.saveCosignatures([cosignature(4, 20)])).toBe(1);
    expect(await store.cosignatures(10)).toEqual([cosignature(1), cosignature(2), cosignature(3)]);
    expect(await store.cosignatures(20)).toEqual([cosignature(4, 20)]);
    expect(await store.checkpoints()).toEqual([{ treeSize: 10, signedAt: '2021-01-01T00:00:00.000Z', note: 'origin\n10\nroot\n\n— origin sig\n' }]);
    const again = await sut.reopen();
    try {
      expect(await again.cosignatures(10)).toHaveLength(3);
    } finally {
      await again.close();
    }
  });

  it('starts empty', async () => {
    expect(await store.head()).toEqual(EMPTY_HEAD);
    expect(await collect(store.readAll())).toEqual([]);
    expect(await store.readStream('learner-nobody')).toEqual([]);
  });

  it('assigns gapless positions from 1, stream revisions from 0, and recordedAt from its clock', async () => {
    sut.clock.set('2021-03-15T09:30:00.000Z');
    const out = await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b'), learnerActive(3, 'a')] });
    expect(out.map((o) => [o.status, o.position, o.streamId, o.streamRevision])).toEqual([
      ['appended', 1, 'learner-a', 0],
      ['appended', 2, 'learner-b', 0],
      ['appended', 3, 'learner-a', 1],
    ]);
    expect(out.every((o) => o.recordedAt === '2021-03-15T09:30:00.000Z')).toBe(true);
    const head = await store.head();
    expect(head.position).toBe(3);
    expect(head.recordedAt).toBe('2021-03-15T09:30:00.000Z');
  });

  it('keeps the event exactly as sent, occurredAt offset included', async () => {
    const event = admitted(1, 'a', 'A1', '2020-01-15T09:00:00.123456+05:30');
    await store.append({ events: [event] });
    const [record] = await store.readStream('learner-a');
    expect(record).toMatchObject({
      eventId: event.eventId,
      type: 'LearnerAdmitted',
      learnerId: 'a',
      occurredAt: '2020-01-15T09:00:00.123456+05:30',
      streamId: 'learner-a',
      streamRevision: 0,
      position: 1,
    });
    expect(JSON.parse(record!.data)).toEqual(event.data);
  });

  it('puts non-learner events in their own stream, without a learner id', async () => {
    await store.append({ events: [campaignSent(7)] });
    const [record] = await store.readStream('campaign-K7');
    expect(record).toMatchObject({ streamId: 'campaign-K7', learnerId: null, type: 'OutreachCampaignSent' });
  });

  it('takes the longest stream id a valid event makes (MAX_STREAM_ID), and finds it again', async () => {
    // 128 astral code points: 137 code points, 521 UTF-8 bytes, in the (stream_id, revision) index.
    const campaignId = '\u{1F4A1}'.repeat(127) + '\u{10FFFF}';
    const event = { ...campaignSent(1), data: { ...campaignSent(1).data, campaignId } };
    expect(validateEvent(event, new Date('2021-01-10T12:00:00Z')).ok).toBe(true);
    const streamId = streamIdOf(event);
    expect([[...streamId].length, Buffer.byteLength(streamId, 'utf8')]).toEqual([137, MAX_STREAM_ID.utf8Bytes]);
    await store.append({ events: [event], expectedRevisions: new Map([[streamId, 'no-stream']]) });
    const [appended] = await store.append({ events: [{ ...event, eventId: uuidOf(2) }], expectedRevisions: new Map([[streamId, 0]]) });
    expect(appended).toMatchObject({ streamId, streamRevision: 1, position: 2 });
    expect((await store.readStream(streamId)).map((r) => [r.streamId, r.eventId])).toEqual([[streamId, uuidOf(1)], [streamId, uuidOf(2)]]);
    expect(await store.readStream(streamId.slice(0, -2))).toEqual([]); // the id whole, not a prefix of it
  });

  it('keeps the data text as canonical JSON: control characters in it are escapes, never raw bytes in a column', async () => {
    // The validator refuses these in ids; in data they still reach the store only as JSON escapes
    // (a NUL, raw, is refused by PostgreSQL text columns). Sent here straight to the store.
    const reason = 'tab\there, lines\r\n, NUL \u0000, DEL \u007f, \u{1F4A1}';
    const event = { ...retracted(1, 'a', uuidOf(9)), data: { retractedEventId: uuidOf(9), reason } };
    await store.append({ events: [event] });
    const [record] = await store.readStream('learner-a');
    if (!record) throw new Error('not stored');
    expect(record.data).toBe(`{"reason":"tab\\there, lines\\r\\n, NUL \\u0000, DEL \u007f, \u{1F4A1}","retractedEventId":"${uuidOf(9)}"}`);
    expect(JSON.parse(record.data)).toEqual(event.data);
    expect(recomputeHashes(record, EMPTY_HEAD.chain).hash).toBe(record.hash);
  });

  describe('expected revision', () => {
    it('accepts no-stream for a new stream and the last revision for an existing one', async () => {
      await store.append({ events: [learnerActive(1, 'a')], expectedRevisions: new Map([['learner-a', 'no-stream']]) });
      const out = await store.append({ events: [learnerActive(2, 'a')], expectedRevisions: new Map([['learner-a', 0]]) });
      expect(out[0]).toMatchObject({ status: 'appended', streamRevision: 1, position: 2 });
    });

    it('refuses a stale revision and stores nothing of the request', async () => {
      await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'a')] });
      const stale = store.append({
        events: [learnerActive(3, 'b'), learnerActive(4, 'a')],
        expectedRevisions: new Map([['learner-a', 0]]),
      });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(stale).rejects.toMatchObject({ streamId: 'learner-a', expected: 0, actual: 1 });
      expect((await store.head()).position).toBe(2);
      expect(await store.readStream('learner-b')).toEqual([]);
    });

    it('refuses no-stream when the stream exists, and a revision when it does not', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      await expect(
        store.append({ events: [learnerActive(2, 'a')], expectedRevisions: new Map([['learner-a', 'no-stream']]) }),
      ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 0 });
      await expect(
        store.append({ events: [learnerActive(3, 'z')], expectedRevisions: new Map([['learner-z', 0]]) }),
      ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 'no-stream' });
      expect((await store.head()).position).toBe(1);
    });

    it('lets exactly one of two concurrent writers with the same expectation through', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const attempts = await Promise.allSettled(
        [2, 3].map((n) => store.append({ events: [learnerActive(n, 'a')], expectedRevisions: new Map([['learner-a', 0]]) })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      const rejected = attempts.find((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream('learner-a')).map((r) => r.streamRevision)).toEqual([0, 1]);
    });
  });

  describe('idempotency on eventId', () => {
    it('reports the same event sent again as already present and writes nothing', async () => {
      const [first] = await store.append({ events: [learnerActive(1, 'a')] });
      const again = await store.append({ events: [learnerActive(1, 'a')], expectedRevisions: new Map([['learner-a', 'no-stream']]) });
      expect(again).toEqual([{ ...first, status: 'already-present' }]);
      expect((await store.head()).position).toBe(1);
    });

    it('takes the same instant written with another offset as the same content', async () => {
      await store.append({ events: [learnerActive(1, 'a', '2020-03-01T10:00:00+01:00')] });
      const again = await store.append({ events: [learnerActive(1, 'a', '2020-03-01T09:00:00.000Z')] });
      expect(again[0]?.status).toBe('already-present');
    });

    it('refuses the same eventId with other content, and stores nothing of that request', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const changed = { ...learnerActive(1, 'a'), occurredAt: '2020-03-02T10:00:00+01:00' };
      const request = store.append({ events: [learnerActive(2, 'b'), changed] });
      await expect(request).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(request).rejects.toMatchObject({ eventId: uuidOf(1) });
      expect((await store.head()).position).toBe(1);
    });

    it('treats a repeat inside one request like a repeat across requests', async () => {
      const out = await store.append({ events: [learnerActive(1, 'a'), learnerActive(1, 'a')] });
      expect(out.map((o) => [o.status, o.position])).toEqual([
        ['appended', 1],
        ['already-present', 1],
      ]);
      await expect(
        store.append({ events: [learnerActive(2, 'a'), { ...learnerActive(2, 'b') }] }),
      ).rejects.toBeInstanceOf(IdempotencyConflictError);
    });

    it('mixes present and new events in one request', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const out = await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'a')] });
      expect(out.map((o) => [o.status, o.position, o.streamRevision])).toEqual([
        ['already-present', 1, 0],
        ['appended', 2, 1],
      ]);
    });
  });

  it('never lets recordedAt go back with position, even when the clock does', async () => {
    sut.clock.set('2021-05-01T00:00:00.000Z');
    await store.append({ events: [learnerActive(1, 'a')] });
    sut.clock.set('2021-04-01T00:00:00.000Z');
    const [out] = await store.append({ events: [learnerActive(2, 'a')] });
    expect(out?.recordedAt).toBe('2021-05-01T00:00:00.000Z');
    sut.clock.set('2021-06-01T00:00:00.000Z');
    const [later] = await store.append({ events: [learnerActive(3, 'a')] });
    expect(later?.recordedAt).toBe('2021-06-01T00:00:00.000Z');
  });

  it('records each recording batch of a replayed append at its own moment (recordings), never going back', async () => {
    sut.clock.set('2021-05-01T00:00:00.000Z');
    await store.append({ events: [learnerActive(1, 'a')] });
    sut.clock.set('2030-01-01T00:00:00.000Z'); // not read: the recordings say when
    const out = await store.append({
      events: [learnerActive(2, 'a'), learnerActive(3, 'b'), learnerActive(4, 'a'), learnerActive(5, 'c')],
      recordings: [
        { from: 0, at: new Date('2021-04-01T00:00:00.000Z') }, // before the head: the head's moment
        { from: 1, at: new Date('2021-06-01T01:00:00.000Z') },
        { from: 3, at: new Date('2021-06-02T01:00:00.000Z') },
      ],
    });
    expect(out.map((o) => [o.position, o.streamRevision, o.recordedAt])).toEqual([
      [2, 1, '2021-05-01T00:00:00.000Z'],
      [3, 0, '2021-06-01T01:00:00.000Z'],
      [4, 2, '2021-06-01T01:00:00.000Z'],
      [5, 0, '2021-06-02T01:00:00.000Z'],
    ]);
    expect((await store.head()).recordedAt).toBe('2021-06-02T01:00:00.000Z');
    const records = await collect(store.readAll());
    expect(records.map((r) => r.recordedAt)).toEqual(['2021-05-01T00:00:00.000Z', ...out.map((o) => o.recordedAt)]);
    // Hashed with the moments they were recorded at.
    let chain = EMPTY_HEAD.chain;
    for (const record of records) {
      expect(recomputeHashes(record, chain)).toEqual({ hash: record.hash, chain: record.chain });
      chain = record.chain;
    }
  });

  it('reads the log forward from a position, page by page, up to a position', async () => {
    const events = Array.from({ length: 250 }, (_, i) => learnerActive(i + 1, `L${i % 7}`));
    await store.append({ events });
    const all = await collect(store.readAll(1, { pageSize: 16 }));
    expect(all.map((r) => r.position)).toEqual(events.map((_, i) => i + 1));
    expect(all.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
    const tail = await collect(store.readAll(241, { pageSize: 3 }));
    expect(tail.map((r) => r.position)).toEqual([241, 242, 243, 244, 245, 246, 247, 248, 249, 250]);
    const window = await collect(store.readAll(10, { pageSize: 4, toPosition: 20 }));
    expect(window.map((r) => r.position)).toEqual(Array.from({ length: 11 }, (_, i) => i + 10));
  });

  it('finds the last position known at a moment of transaction time', async () => {
    expect(await positionAt(store, '2030-01-01T00:00:00Z')).toBe(0);
    const moments = ['2021-01-01T00:00:00.000Z', '2021-02-01T00:00:00.000Z', '2021-03-01T00:00:00.000Z'];
    let n = 0;
    for (const moment of moments) {
      sut.clock.set(moment);
      await store.append({ events: [learnerActive(++n, 'a'), learnerActive(++n, 'b'), learnerActive(++n, 'c')] });
    }
    expect(await positionAt(store, '2020-12-31T23:59:59.999Z')).toBe(0);
    expect(await positionAt(store, '2021-01-01T00:00:00Z')).toBe(3);
    expect(await positionAt(store, '2021-01-01T01:00:00.0009+01:00')).toBe(3);
    expect(await positionAt(store, '2021-02-15T00:00:00Z')).toBe(6);
    expect(await positionAt(store, '2021-03-01T00:00:00.000Z')).toBe(9);
    expect(await positionAt(store, '2026-01-01T00:00:00Z')).toBe(9);
  });

  it('reads only the types asked for, in position order, across pages', async () => {
    const events = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? courseStarted(i + 1, `L${i % 5}`) : learnerActive(i + 1, `L${i % 5}`)));
    await store.append({ events: [...events, campaignSent(61)] });
    const courses = await collect(store.readAll(1, { pageSize: 4, types: ['CourseStarted'] }));
    expect(courses.map((r) => r.position)).toEqual(Array.from({ length: 20 }, (_, i) => 3 * i + 1));
    const mixed = await collect(store.readAll(30, { pageSize: 3, toPosition: 61, types: ['CourseStarted', 'OutreachCampaignSent'] }));
    expect(mixed.map((r) => r.position)).toEqual([31, 34, 37, 40, 43, 46, 49, 52, 55, 58, 61]);
  });

  it('with an occurredFromDay hint, still reads every event that occurred on or after that UTC day, whatever its offset', async () => {
    const occurred = [
      '2019-06-01T10:00:00Z', // a day long before: may be left out
      '2020-01-01T05:00:00+14:00', // its own date is the day, but in UTC the day before: may be left out
      '2019-12-31T20:00:00-12:00', // its own date is the day before, but in UTC the day: must be read
      '2020-01-01T00:00:00Z',
      '2020-06-01T00:00:00+02:00',
    ];
    await store.append({ events: occurred.map((at, i) => courseStarted(i + 1, `L${i}`, at)) });
    await store.append({ events: [learnerActive(9, 'L9')] });
    const hinted = await collect(store.readAll(1, { pageSize: 2, types: ['CourseStarted'], occurredFromDay: '2020-01-01' }));
    const positions = hinted.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions).toEqual(expect.arrayContaining([3, 4, 5]));
    expect(positions.every((p) => p >= 1 && p <= 5)).toBe(true);
  });

  it('reads the log a page at a time: no empty page, none over the page size, together what readAll reads', async () => {
    const events = Array.from({ length: 50 }, (_, i) => (i % 4 === 0 ? courseStarted(i + 1, `L${i % 5}`) : learnerActive(i + 1, `L${i % 5}`)));
    await store.append({ events });
    for (const options of [{ pageSize: 7 }, { pageSize: 5, types: ['CourseStarted'] }, { pageSize: 3, toPosition: 20, withoutHashes: true }]) {
      const pages: LogRecord[][] = [];
      for await (const page of store.readPages(2, options)) pages.push([...page]);
      expect(pages.every((page) => page.length > 0 && page.length <= options.pageSize)).toBe(true);
      expect(pages.flat()).toEqual(await collect(store.readAll(2, options)));
    }
  });

  it('reads the same events for a reader that needs no hashes', async () => {
    await store.append({ events: [learnerActive(1, 'a'), courseStarted(2, 'b'), campaignSent(3)] });
    const strip = (r: LogRecord) => ({ ...r, hash: '', chain: '', commitment: undefined, salt: undefined });
    const lean = await collect(store.readAll(1, { withoutHashes: true }));
    expect(lean.map(strip)).toEqual((await collect(store.readAll())).map(strip));
  });

  it('reads one stream in revision order', async () => {
    await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')] });
    await store.append({ events: [courseStarted(3, 'a')] });
    const stream = await store.readStream('learner-a');
    expect(stream.map((r) => [r.streamRevision, r.position, r.type])).toEqual([
      [0, 1, 'LearnerActive'],
      [1, 3, 'CourseStarted'],
    ]);
  });

  it('finds stored events by id', async () => {
    await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')] });
    const found = await store.findEvents([uuidOf(2), uuidOf(99)]);
    expect([...found.keys()]).toEqual([uuidOf(2)]);
    expect(found.get(uuidOf(2))?.position).toBe(2);
  });

  it('hashes every record and chains it to the one before', async () => {
    await store.append({ events: [learnerActive(1, 'a'), campaignSent(2)] });
    await store.append({ events: [admitted(3, 'a')] });
    let previous = EMPTY_HEAD.chain;
    for (const record of await collect(store.readAll())) {
      expect(recomputeHashes(record, previous)).toEqual({ hash: record.hash, chain: record.chain });
      previous = record.chain;
    }
    expect((await store.head()).chain).toBe(previous);
  });

  describe('group commit', () => {
    it('commits independent units together; a failing unit fails alone', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const results = await store.appendGroup([
        { events: [learnerActive(2, 'b')] },
        { events: [learnerActive(3, 'a')], expectedRevisions: new Map([['learner-a', 5]]) },
        { events: [learnerActive(4, 'c'), { ...learnerActive(1, 'z') }] },
        { events: [learnerActive(5, 'a'), learnerActive(6, 'd')] },
      ]);
      expect(results[0]).toEqual([expect.objectContaining({ status: 'appended', position: 2 })]);
      expect(results[1]).toBeInstanceOf(WrongExpectedRevisionError);
      expect(results[2]).toBeInstanceOf(IdempotencyConflictError);
      expect(results[3]).toEqual([
        expect.objectContaining({ position: 3, streamId: 'learner-a', streamRevision: 1 }),
        expect.objectContaining({ position: 4, streamId: 'learner-d' }),
      ]);
      const all = await collect(store.readAll());
      expect(all.map((r) => r.position)).toEqual([1, 2, 3, 4]);
      expect(await store.readStream('learner-c')).toEqual([]);
    });

    it('lets each unit see the units before it: their events present, their streams moved, one chain', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const results = await store.appendGroup([
        { events: [learnerActive(2, 'a')], expectedRevisions: new Map([['learner-a', 0]]) },
        // Expects the revision the unit before it made; a unit expecting the stored one is refused.
        { events: [learnerActive(3, 'a')], expectedRevisions: new Map([['learner-a', 1]]) },
        { events: [learnerActive(4, 'a')], expectedRevisions: new Map([['learner-a', 0]]) },
        // The same event as an earlier unit's, from another client: present at that unit's position.
        { events: [learnerActive(2, 'a')] },
        // That event again with other content: refused, and its other event not stored.
        { events: [learnerActive(5, 'e'), learnerActive(2, 'b')] },
        { events: [learnerActive(6, 'f')], expectedRevisions: new Map([['learner-f', 'no-stream']]) },
      ]);
      expect(results[0]).toEqual([expect.objectContaining({ status: 'appended', position: 2, streamRevision: 1 })]);
      expect(results[1]).toEqual([expect.objectContaining({ status: 'appended', position: 3, streamRevision: 2 })]);
      expect(results[2]).toBeInstanceOf(WrongExpectedRevisionError);
      expect(results[3]).toEqual([expect.objectContaining({ status: 'already-present', position: 2, streamRevision: 1 })]);
      expect(results[4]).toBeInstanceOf(IdempotencyConflictError);
      expect(results[5]).toEqual([expect.objectContaining({ status: 'appended', position: 4, streamId: 'learner-f', streamRevision: 0 })]);
      const all = await collect(store.readAll());
      expect(all.map((r) => [r.position, r.eventId])).toEqual([[1, uuidOf(1)], [2, uuidOf(2)], [3, uuidOf(3)], [4, uuidOf(6)]]);
      let previous = EMPTY_HEAD.chain;
      for (const record of all) {
        expect(recomputeHashes(record, previous)).toEqual({ hash: record.hash, chain: record.chain });
        previous = record.chain;
      }
      expect(await store.head()).toEqual({ position: 4, recordedAt: all[3]?.recordedAt, chain: previous });
      expect(await store.readStream('learner-e')).toEqual([]);
    });
  });

  describe('an append whose events are still being checked (ready)', () => {
    it('commits once ready resolves', async () => {
      let pass = (): void => undefined;
      const ready = new Promise<void>((resolve) => (pass = resolve));
      const appending = store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')], ready });
      setTimeout(pass, 20);
      expect((await appending).map((o) => o.position)).toEqual([1, 2]);
      expect((await store.head()).position).toBe(2);
    });

    it('stores nothing and throws ready\'s error when it rejects', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const refusal = new Error('line 2: data.x is not allowed');
      const ready = new Promise<void>((_, reject) => setTimeout(() => reject(refusal), 20));
      await expect(store.append({ events: [learnerActive(2, 'a'), learnerActive(3, 'b')], ready })).rejects.toBe(refusal);
      expect((await store.head()).position).toBe(1);
      expect(await collect(store.readAll())).toHaveLength(1);
    });

    it('does not let other appends of the same store in or lost meanwhile', async () => {
      let pass = (): void => undefined;
      const ready = new Promise<void>((resolve) => (pass = resolve));
      const held = store.append({ events: [learnerActive(1, 'a')], ready });
      const others = [store.append({ events: [learnerActive(2, 'b')] }), store.append({ events: [learnerActive(3, 'c')] })];
      setTimeout(pass, 30);
      const all = await Promise.all([held, ...others]);
      expect(all.map(([o]) => o?.position).sort()).toEqual([1, 2, 3]);
      const log = await collect(store.readAll());
      expect(log.map((r) => r.position)).toEqual([1, 2, 3]);
      expect(log.map((r) => r.eventId).sort()).toEqual([uuidOf(1), uuidOf(2), uuidOf(3)].sort());
    });
  });

  describe('an append cancelled by its signal (an interrupted import)', () => {
    it('stores nothing and throws the reason when aborted while its events are being checked', async () => {
      await store.append({ events: [learnerActive(1, 'a')] });
      const controller = new AbortController();
      const ready = new Promise<void>(() => undefined); // the checks never finish: only the abort ends the wait
      const reason = new Error('interrupted by SIGINT');
      setTimeout(() => controller.abort(reason), 20);
      await expect(store.append({ events: [learnerActive(2, 'a'), learnerActive(3, 'b')], ready, signal: controller.signal })).rejects.toBe(reason);
      expect((await store.head()).position).toBe(1);
      expect(await collect(store.readAll())).toHaveLength(1);
      // The store goes on: the next append takes the next position.
      expect((await store.append({ events: [learnerActive(4, 'c')] })).map((o) => o.position)).toEqual([2]);
    });

    it('stores nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      const reason = new Error('interrupted by SIGTERM');
      controller.abort(reason);
      await expect(store.append({ events: [learnerActive(1, 'a')], signal: controller.signal })).rejects.toBe(reason);
      expect(await store.head()).toEqual(EMPTY_HEAD);
    });

    it('commits as any append while the signal is not aborted', async () => {
      const controller = new AbortController();
      const out = await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'a')], signal: controller.signal });
      expect(out.map((o) => [o.status, o.position, o.streamRevision])).toEqual([
        ['appended', 1, 0],
        ['appended', 2, 1],
      ]);
      controller.abort(new Error('too late'));
      expect((await store.head()).position).toBe(2);
    });
  });

  it('stays gapless under concurrent writers, and a tailing reader never sees a gap', async () => {
    const writers = 8;
    const perWriter = 40;
    const seen: number[] = [];
    let done = false;
    const reader = (async () => {
      while (!done || seen.length < writers * perWriter) {
        for await (const record of store.readAll((seen[seen.length - 1] ?? 0) + 1, { pageSize: 7 })) seen.push(record.position);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i += 1) {
          const n = 1000 + w * perWriter + i;
          await store.append({ events: [learnerActive(n, `W${w}`)] });
        }
      }),
    );
    done = true;
    await reader;
    expect(seen).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
    for (let w = 0; w < writers; w += 1) {
      expect((await store.readStream(`learner-W${w}`)).map((r) => r.streamRevision)).toEqual(
        Array.from({ length: perWriter }, (_, i) => i),
      );
    }
  });
}
