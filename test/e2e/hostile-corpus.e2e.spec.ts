import request from 'supertest';
import type { LogRecord } from '@ledger/store';
import { ManualClock } from '../contract/event-store.contract';
import type { ApiUnderTest, StoreKind } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import type { CorpusCase } from '../support/hostile-corpus';
import { bodyText, expand, loadCorpus } from '../support/hostile-corpus';
import { POSTGRES_URL, postgresReachable } from '../support/postgres';

/**
 * The hostile corpus (test/hostile-corpus) through the real API on every store that is up:
 * each case must get the status the corpus expects, and the same status and body on every
 * store. Each file runs in order on a fresh ledger of each store (a case may build on the
 * ones before it), and leaves the same log on each.
 */
const STORES: StoreKind[] = ['sqlite', 'kurrentdb-stand-in'];
if (postgresReachable()) STORES.push('postgres');
else {
  console.warn(
    `Hostile corpus on PostgreSQL SKIPPED: no PostgreSQL server at ${POSTGRES_URL} (it ran on ${STORES.join(' and ')}).\n` +
      'Start one (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or point LEDGER_TEST_POSTGRES_URL at one.',
  );
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly bytes: number;
}

async function collect(iterable: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

/** `{ sqlite: x, postgres: x, ... }`: a failure shows which store answered what. */
const perStore = <T>(value: (store: StoreKind) => T): Record<string, T> => Object.fromEntries(STORES.map((s) => [s, value(s)]));

describe.each(loadCorpus())(`hostile corpus $file on ${STORES.join(', ')}: every store answers the same`, ({ cases }) => {
  const apis = new Map<StoreKind, ApiUnderTest>();
  /** Events the answers said were appended: the log must hold exactly these, on every store. */
  let appended = 0;

  beforeAll(async () => {
    // One clock each, standing still: recordedAt, hence hashes, are the same on every store.
    for (const store of STORES) apis.set(store, await startApi(new ManualClock(), store));
  });
  afterAll(async () => {
    for (const api of apis.values()) await api.close();
  });

  const post = async (store: StoreKind, text: string): Promise<Answer> => {
    const api = apis.get(store);
    if (!api) throw new Error(`no API on ${store}`);
    const res = await request(api.app.getHttpServer()).post('/events').set(bearer(api.keys.ingest)).set('content-type', 'application/json').send(text);
    return { status: res.status, body: res.body as unknown, bytes: Buffer.byteLength(res.text ?? '') };
  };

  it.each(cases.map((c): [string, CorpusCase] => [c.name, c]))('%s', async (_name, c) => {
    const text = bodyText(c.body);
    const answers = new Map<StoreKind, Answer>();
    for (const store of STORES) answers.set(store, await post(store, text));
    const first = answers.get(STORES[0] ?? 'sqlite');
    if (!first) throw new Error('no answer');

    expect(perStore((s) => answers.get(s)?.status)).toEqual(perStore(() => c.expect.status));
    expect(perStore((s) => answers.get(s)?.body)).toEqual(perStore(() => first.body));

    const body = first.body as { errors?: unknown[]; events?: Array<{ status?: unknown }> };
    appended += (body.events ?? []).filter((e) => e.status === 'appended').length;
    if (c.expect.errors) {
      expect(body.errors).toHaveLength(c.expect.errors.length);
      expect(body.errors).toMatchObject(expand(c.expect.errors) as object);
    }
    if (c.expect.events) {
      expect(body.events).toHaveLength(c.expect.events.length);
      expect(body.events).toMatchObject(expand(c.expect.events) as object);
    }
    if (c.expect.maxBodyBytes !== undefined) expect(first.bytes).toBeLessThanOrEqual(c.expect.maxBodyBytes);
  });

  it('leaves the same log on every store, record for record, hash for hash', async () => {
    const logs = new Map<StoreKind, LogRecord[]>();
    for (const [store, api] of apis) logs.set(store, await collect(api.store.readAll()));
    const reference = logs.get(STORES[0] ?? 'sqlite') ?? [];
    expect(reference).toHaveLength(appended); // and nothing of a refused request
    expect(perStore((s) => logs.get(s))).toEqual(perStore(() => reference));
  });
});
