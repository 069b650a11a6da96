import { randomUUID } from 'node:crypto';
import { jsonEvent, KurrentDBClient, NO_STREAM } from '@kurrent/kurrentdb-client';
import type { LedgerEvent } from '@ledger/events';
import type { AppendedEvent } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { EMPTY_HEAD, recomputeHashes, sealRecord } from '@ledger/store';
import type { KurrentDbEventStoreOptions } from '@ledger/store/kurrentdb';
import { AppendTooLargeError, KurrentDbEventStore, KurrentDbLogError } from '@ledger/store/kurrentdb';
import { eventSize, fromStoredEvent, kurrentIdOf, toEventData } from '@ledger/store/kurrentdb';
import { admitted, campaignSent, learnerActive, uuidOf } from '../support/event-builders';
import { InMemoryKurrentDb } from '../support/in-memory-kurrentdb';
import { collect, eventStoreContract, ManualClock } from './event-store.contract';
import type { StoreUnderTest } from './event-store.contract';
import { erasureContract } from './erasure.contract';

const url = process.env['KURRENTDB_CONNECTION_STRING'];

if (!url) {
  console.warn(
    [
      'KurrentDB contract tests SKIPPED: KURRENTDB_CONNECTION_STRING is not set.',
      'They run test/contract/event-store.contract.ts against a real KurrentDB server. To run them:',
      '  docker run --rm -d -p 2113:2113 -e KURRENTDB_INSECURE=true -e KURRENTDB_CLUSTER_SIZE=1 docker.kurrent.io/kurrent-latest/kurrentdb:latest',
      '  KURRENTDB_CONNECTION_STRING="kurrentdb://localhost:2113?tls=false" npx jest test/contract/kurrentdb-event-store.spec.ts',
      'or the GitHub Actions job .github/workflows/kurrentdb-contract.yml. The codec tests and the adapter run on an',
      'in-memory stand-in for the client did run; they are no substitute for the server.',
    ].join('\n'),
  );
}

/** How the KurrentDB-specific scenarios reach a store and the raw log stream. */
interface Harness {
  open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore>;
  /** Writes a plain event, not written by the adapter, to a stream. */
  appendForeign(stream: string): Promise<void>;
  setMaxCount(stream: string, maxCount: number): Promise<void>;
}

// -------------------------------------------------------------------------------------------------
// Against a real server, when one is given.

(url ? describe : describe.skip)('KurrentDB event store (contract, real server)', () => {
  const connectionString = url ?? '';

  describe('port contract', () => {
    const openUnderTest = async (): Promise<StoreUnderTest> => {
      const clock = new ManualClock();
      // A fresh log stream per test: tests never see each other's events.
      const logStream = freshLogStream();
      const missing = freshLogStream();
      const store = await KurrentDbEventStore.open(connectionString, { clock: clock.now, logStream });
      return {
        store,
        clock,
        reopen: () => KurrentDbEventStore.open(connectionString, { clock: clock.now, logStream, create: false }),
        openMissing: () => KurrentDbEventStore.open(connectionString, { logStream: missing, create: false }),
        dispose: () => store.close(),
      };
    };
    eventStoreContract(openUnderTest);
    describe('erasure (docs/erasure.md)', () => erasureContract(openUnderTest, 'refused'));
  });

  let client: KurrentDBClient;
  beforeAll(() => {
    client = KurrentDBClient.connectionString(connectionString);
  });
  afterAll(async () => {
    await client.dispose();
  });
  kurrentDbScenarios({
    open: (options) => KurrentDbEventStore.open(connectionString, options),
    appendForeign: async (stream) => {
      await client.appendToStream(stream, jsonEvent({ type: 'SomethingElse', data: { hello: 'world' } }));
    },
    setMaxCount: async (stream, maxCount) => {
      await client.setStreamMetadata(stream, { maxCount });
    },
  });
});

// -------------------------------------------------------------------------------------------------
// Without a server: the adapter's own logic on a stand-in that behaves as the client and server
// are documented to (see InMemoryKurrentDb). This checks the adapter, not KurrentDB.

describe('KurrentDB event store on an in-memory stand-in for the client (no server)', () => {
  describe('port contract', () => {
    const openUnderTest = async (): Promise<StoreUnderTest> => {
      const clock = new ManualClock();
      const server = new InMemoryKurrentDb();
      const logStream = freshLogStream();
      const missing = freshLogStream();
      const store = await KurrentDbEventStore.withClient(server, { clock: clock.now, logStream });
      return {
        store,
        clock,
        reopen: () => KurrentDbEventStore.withClient(server, { clock: clock.now, logStream, create: false }),
        openMissing: () => KurrentDbEventStore.withClient(server, { logStream: missing, create: false }),
        dispose: () => store.close(),
      };
    };
    eventStoreContract(openUnderTest);
    describe('erasure (docs/erasure.md)', () => erasureContract(openUnderTest, 'refused'));
  });

  let server: InMemoryKurrentDb;
  beforeEach(() => {
    server = new InMemoryKurrentDb();
  });
  kurrentDbScenarios({
    open: (options) => KurrentDbEventStore.withClient(server, options),
    appendForeign: async (stream) => {
      await server.appendToStream(stream, jsonEvent({ type: 'SomethingElse', data: { hello: 'world' } }));
    },
    setMaxCount: async (stream, maxCount) => {
      server.streamMetadata.set(stream, { maxCount });
    },
  });

  it("keeps the log's id in one event of <logStream>-identity, written once; a log made before ids gets one", async () => {
    const store = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log' });
    const { logId } = await store.identity();
    expect(server.streams.get('ledger-log-identity')).toEqual([expect.objectContaining({ id: logId, type: 'LedgerLogCreated' })]);
    await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log' });
    expect(server.appends.filter((call) => call.stream === 'ledger-log-identity')).toHaveLength(1);

    await store.append({ events: [learnerActive(1, 'a')] });
    server.streams.delete('ledger-log-identity'); // as a log written before logs had ids
    const legacy = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log', create: false });
    expect((await legacy.identity()).logId).not.toBe(logId);
    expect((await legacy.head()).position).toBe(1);
  });

  it('puts the whole unit in one append, conditional on the head revision', async () => {
    const store = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log' });
    await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')] });
    await store.append({ events: [learnerActive(3, 'a')] });
    expect(server.appends.filter((call) => call.stream === 'ledger-log')).toEqual([
      { stream: 'ledger-log', events: 2, streamState: NO_STREAM },
      { stream: 'ledger-log', events: 1, streamState: 1n },
    ]);
  });

  it('refuses a unit over the configured limit without sending it', async () => {
    const store = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log' });
    await expect(store.append({ events: bigBatch() })).rejects.toBeInstanceOf(AppendTooLargeError);
    expect(server.appends.filter((call) => call.stream === 'ledger-log')).toEqual([]);
  });

  it('sees through an acknowledgement KurrentDB gives without writing (same ids at the same revisions)', async () => {
    const a = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log', clock: () => new Date('2021-01-01T00:00:00Z') });
    const b = await KurrentDbEventStore.withClient(server, { logStream: 'ledger-log', clock: () => new Date('2021-06-01T00:00:00Z') });
    await a.append({ events: [learnerActive(1, 'a')] });
    const [again] = await b.append({ events: [learnerActive(1, 'a')] });
    // b's append was acknowledged by the server's idempotence, not written: b noticed and re-planned.
    expect(server.appends.filter((call) => call.stream === 'ledger-log').map((call) => call.streamState)).toEqual([NO_STREAM, NO_STREAM]);
    expect(server.streams.get('ledger-log')).toHaveLength(1);
    expect(again).toMatchObject({ status: 'already-present', position: 1, recordedAt: '2021-01-01T00:00:00.000Z' });
  });
});

// -------------------------------------------------------------------------------------------------
// The stored form of a record: no server needed.

describe('KurrentDB log event codec', () => {
  const log = 'ledger-log';

  /** What the client sends and the server gives back: JSON text of data and metadata, parsed again. */
  function throughTheWire(record: LogRecord) {
    const sent = toEventData(record, log);
    return {
      streamId: log,
      id: sent.id,
      revision: BigInt(record.position - 1),
      type: sent.type,
      isJson: true,
      data: JSON.parse(Buffer.from(JSON.stringify(sent.data), 'utf8').toString('utf8')) as unknown,
      metadata: JSON.parse(Buffer.from(JSON.stringify(sent.metadata), 'utf8').toString('utf8')) as unknown,
    };
  }

  it('gives back the record it stored, hashes included, for awkward data too', () => {
    const awkward = {
      ...admitted(1, 'a', 'A1', '2020-01-15T09:00:00.123456+05:30'),
      data: { '10': 1, '2': 2, b: [1e21, 0.1, -0, 5e-7, 'é\u2028\ud83d\ude00'], a: { z: null, y: true } },
    } as unknown as LedgerEvent;
    let chain = EMPTY_HEAD.chain;
    const events: LedgerEvent[] = [awkward, campaignSent(2), learnerActive(3, 'a')];
    events.forEach((event, i) => {
      const record = sealRecord(event, { position: i + 1, streamRevision: i === 2 ? 1 : 0, recordedAt: '2021-01-10T12:00:00.000Z' }, chain);
      const back = fromStoredEvent(throughTheWire(record), log);
      expect(back).toEqual(record);
      expect(recomputeHashes(back, chain)).toEqual({ hash: record.hash, chain: record.chain });
      chain = record.chain;
    });
  });

  it('uses the ledger eventId as the KurrentDB event id, and counts sizes as the server does', () => {
    const record = sealRecord(learnerActive(7, 'a'), { position: 1, streamRevision: 0, recordedAt: '2021-01-10T12:00:00.000Z' }, EMPTY_HEAD.chain);
    const sent = toEventData(record, log);
    expect(sent.id).toBe(uuidOf(7));
    expect(sent.type).toBe('LearnerActive');
    expect(eventSize(sent)).toBe(
      Buffer.byteLength(JSON.stringify(sent.data)) + Buffer.byteLength(JSON.stringify(sent.metadata)) + 2 * 'LearnerActive'.length,
    );
    expect(kurrentIdOf('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(kurrentIdOf('import-row-17')).toBeNull();
    expect(kurrentIdOf('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('refuses what the adapter did not write, or out of place', () => {
    const record = sealRecord(learnerActive(1, 'a'), { position: 1, streamRevision: 0, recordedAt: '2021-01-10T12:00:00.000Z' }, EMPTY_HEAD.chain);
    const stored = throughTheWire(record);
    expect(() => fromStoredEvent({ ...stored, revision: 1n }, log)).toThrow(KurrentDbLogError);
    expect(() => fromStoredEvent({ ...stored, metadata: { any: 'thing' } }, log)).toThrow(/not written by the ledger/);
    expect(() => fromStoredEvent({ ...stored, id: uuidOf(2) }, log)).toThrow(/not the ledger eventId/);
    expect(() => fromStoredEvent({ ...stored, streamId: 'other' }, log)).toThrow(KurrentDbLogError);
  });

  it('accepts only KurrentDB connection strings, before connecting', async () => {
    await expect(KurrentDbEventStore.open('postgres://localhost/ledger')).rejects.toThrow(/kurrentdb:\/\//);
    await expect(KurrentDbEventStore.open('sqlite:./ledger.db')).rejects.toBeInstanceOf(TypeError);
  });
});

// -------------------------------------------------------------------------------------------------

function freshLogStream(): string {
  return `ledger-test-${randomUUID()}`;
}

/** About 1.7 MB of events as KurrentDB counts them: over its default MaxAppendSize of 1 MiB. */
function bigBatch(count = 4000, from = 1): LedgerEvent[] {
  return Array.from({ length: count }, (_, i) => learnerActive(from + i, `L${(from + i) % 97}`));
}

/** What only the KurrentDB adapter has to show: limits, several writers on one log, a log it did not write. */
function kurrentDbScenarios(harness: Harness): void {
  describe('KurrentDB specifics', () => {
    const opened: KurrentDbEventStore[] = [];
    async function open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
      const store = await harness.open(options);
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('refuses, whole, an atomic unit over MaxAppendSize, and writes nothing of it', async () => {
      const store = await open({ logStream: freshLogStream() });
      const refused = store.append({ events: bigBatch() });
      await expect(refused).rejects.toBeInstanceOf(AppendTooLargeError);
      await expect(refused).rejects.toMatchObject({ events: 4000, maxAppendSize: 1024 * 1024 });
      expect(await store.head()).toEqual(EMPTY_HEAD);
      expect(await collect(store.readAll())).toEqual([]);
    });

    it("maps the server's own refusal when configured above the server's limit", async () => {
      const store = await open({ logStream: freshLogStream(), maxAppendSize: 16 * 1024 * 1024 });
      const refused = store.append({ events: bigBatch() });
      await expect(refused).rejects.toBeInstanceOf(AppendTooLargeError);
      await expect(refused).rejects.toMatchObject({ maxAppendSize: 1024 * 1024 });
      expect((await store.head()).position).toBe(0);
    });

    it('commits a large group in several appends, each unit whole, positions gapless', async () => {
      const store = await open({ logStream: freshLogStream() });
      const units = Array.from({ length: 40 }, (_, u) => ({ events: bigBatch(100, 1 + u * 100) }));
      const results = await store.appendGroup(units);
      expect(results.every((r) => Array.isArray(r))).toBe(true);
      const positions = (results as AppendedEvent[][]).flat().map((o) => o.position);
      expect(positions).toEqual(Array.from({ length: 4000 }, (_, i) => i + 1));
      const all = await collect(store.readAll(1, { pageSize: 500 }));
      expect(all.map((r) => r.position)).toEqual(positions);
    });

    it('serialises two stores (two processes) on one log through the head', async () => {
      const logStream = freshLogStream();
      const a = await open({ logStream });
      const b = await open({ logStream });
      await a.append({ events: [learnerActive(1, 'a')] });
      // b has not read a's event: its refusal is checked against the log, and its write conflicts, then lands after.
      const fromB = await b.append({ events: [learnerActive(2, 'a')], expectedRevisions: new Map([['learner-a', 0]]) });
      expect(fromB).toEqual([expect.objectContaining({ status: 'appended', position: 2, streamRevision: 1 })]);
      const fromA = await a.append({ events: [learnerActive(3, 'b')] });
      expect(fromA[0]?.position).toBe(3);
      await expect(
        b.append({ events: [learnerActive(4, 'a')], expectedRevisions: new Map([['learner-a', 0]]) }),
      ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1 });
      expect((await b.readStream('learner-a')).map((r) => r.position)).toEqual([1, 2]);
      let previous = EMPTY_HEAD.chain;
      for (const record of await collect(b.readAll())) {
        expect(recomputeHashes(record, previous)).toEqual({ hash: record.hash, chain: record.chain });
        previous = record.chain;
      }
    });

    it("reports as already present an event another writer stored first, with that writer's recordedAt", async () => {
      const logStream = freshLogStream();
      const early = new ManualClock(new Date('2021-01-01T00:00:00.000Z'));
      const late = new ManualClock(new Date('2021-06-01T00:00:00.000Z'));
      const a = await open({ logStream, clock: early.now });
      const b = await open({ logStream, clock: late.now });
      const [stored] = await a.append({ events: [learnerActive(1, 'a')] });
      // b plans the same event at the same place: KurrentDB may acknowledge it (same id there) without writing.
      const again = await b.append({ events: [learnerActive(1, 'a')] });
      expect(again).toEqual([{ ...stored, status: 'already-present' }]);
      expect((await b.head()).position).toBe(1);
    });

    it('refuses an eventId that is not a UUID, writing nothing', async () => {
      const store = await open({ logStream: freshLogStream() });
      await expect(store.append({ events: [{ ...learnerActive(1, 'a'), eventId: 'row-1' }] })).rejects.toThrow(/not a UUID/);
      expect((await store.head()).position).toBe(0);
    });

    it('will not open a log stream whose metadata lets events go', async () => {
      const logStream = freshLogStream();
      await harness.setMaxCount(logStream, 10);
      await expect(harness.open({ logStream })).rejects.toThrow(/\$maxCount=10/);
    });

    it('will not take a log stream holding events it did not write', async () => {
      const logStream = freshLogStream();
      await harness.appendForeign(logStream);
      await expect(harness.open({ logStream })).rejects.toBeInstanceOf(KurrentDbLogError);
    });
  });
}
