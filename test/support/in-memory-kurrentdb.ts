import {
  ANY,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type {
  AppendResult,
  AppendToStreamOptions,
  EventData,
  EventType,
  GetStreamMetadataOptions,
  GetStreamMetadataResult,
  ReadStreamOptions,
  ResolvedEvent,
  StreamMetadata,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClientLike } from '@ledger/store/kurrentdb';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface FakeStoredEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * A stand-in for the KurrentDB client and a single-node server, as the client source
 * (@kurrent/kurrentdb-client 1.3.1, dist/streams/*) and the server docs describe them:
 * - appendToStream writes all its events to one stream or none; it fails with
 *   WrongExpectedVersionError when the stream is not at the expected revision, except that when
 *   the events after the expected revision carry the same ids it acknowledges without writing
 *   (KurrentDB's idempotence); over MaxAppendSize (data + metadata + 2 × type length, summed) it
 *   fails with MaxAppendSizeExceededError;
 * - readStream yields events in revision order from a revision, JSON data and metadata parsed from
 *   the text the client sent; a stream that does not exist throws StreamNotFoundError as it is read.
 */
export class InMemoryKurrentDb implements KurrentDbClientLike {
  readonly streams = new Map<string, FakeStoredEvent[]>();
  readonly streamMetadata = new Map<string, StreamMetadata>();
  readonly appends: Array<{ stream: string; events: number; streamState: unknown }> = [];

  constructor(readonly maxAppendSize = 1024 * 1024) {}

  async appendToStream<K extends EventType = EventType>(
    streamName: string,
    input: EventData<K> | EventData<K>[],
    options: AppendToStreamOptions = {},
  ): Promise<AppendResult> {
    await tick();
    const streamState = options.streamState ?? ANY;
    const events = (Array.isArray(input) ? input : [input]) as EventData[];
    this.appends.push({ stream: streamName, events: events.length, streamState });
    const proposed: FakeStoredEvent[] = events.map((event) => {
      if (event.contentType !== 'application/json') throw new Error('the stand-in takes JSON events only');
      const metadata = event.metadata === undefined ? '' : JSON.stringify(event.metadata);
      return { id: event.id.toLowerCase(), type: event.type, data: JSON.stringify(event.data), metadata };
    });
    const size = proposed.reduce((sum, e) => sum + Buffer.byteLength(e.data) + Buffer.byteLength(e.metadata) + e.type.length * 2, 0);
    if (size > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);

    const stream = this.streams.get(streamName);
    const current = stream === undefined ? -1 : stream.length - 1;
    const expected = streamState === NO_STREAM ? -1 : typeof streamState === 'bigint' ? Number(streamState) : null;
    const wrong = () =>
      new WrongExpectedVersionError(undefined, { streamName, expected: streamState, current: current < 0 ? NO_STREAM : BigInt(current) });
    if (streamState === STREAM_EXISTS && stream === undefined) throw wrong();
    if (expected !== null && expected !== current) {
      if (stream !== undefined && expected < current) {
        const there = stream.slice(expected + 1, expected + 1 + proposed.length);
        if (there.length === proposed.length && there.every((e, i) => e.id === proposed[i]?.id)) {
          return { success: true, nextExpectedRevision: BigInt(expected + proposed.length) };
        }
      }
      throw wrong();
    }
    const target = stream ?? [];
    target.push(...proposed);
    this.streams.set(streamName, target);
    return { success: true, nextExpectedRevision: BigInt(target.length - 1) };
  }

  readStream<K extends EventType = EventType>(streamName: string, options: ReadStreamOptions = {}): AsyncIterableIterator<ResolvedEvent<K>> {
    const streams = this.streams;
    async function* read(): AsyncGenerator<ResolvedEvent<K>> {
      await tick();
      const stream = streams.get(streamName);
      if (stream === undefined) throw new StreamNotFoundError(undefined, streamName);
      const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : 0;
      const end = Math.min(stream.length, from + Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
      for (let revision = from; revision < end; revision += 1) {
        const stored = stream[revision];
        if (stored === undefined) return;
        if (revision % 64 === 0) await tick();
        const event = {
          streamId: streamName,
          id: stored.id,
          revision: BigInt(revision),
          type: stored.type,
          isJson: true,
          data: JSON.parse(stored.data) as unknown,
          metadata: stored.metadata === '' ? undefined : (JSON.parse(stored.metadata) as unknown),
          created: new Date(0),
        };
        yield { event, commitPosition: BigInt(revision) } as unknown as ResolvedEvent<K>;
      }
    }
    return read();
  }

  async getStreamMetadata<C extends Record<string | number, unknown> = Record<string | number, unknown>>(
    streamName: string,
    _options?: GetStreamMetadataOptions,
  ): Promise<GetStreamMetadataResult<C>> {
    await tick();
    const metadata = this.streamMetadata.get(streamName);
    return metadata === undefined ? { streamName } : { streamName, metadata: metadata as StreamMetadata<C> };
  }
}
