import request from 'supertest';
import type { LogEvent, ProfessionalOutcomeReported } from '@ledger/events';
import type { ExplainedEvent } from '@ledger/projection-runtime';
import { EventIngestor } from '@ledger/ingest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { courseStarted, retracted, uuidOf } from '../support/event-builders';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
/** More than a page of the log (5,000 records) for a scanned figure, more than the point reads (2,000) for a named one. */
const COURSES = 12_000;
const DECLARATIONS = 2_600;

function declared(n: number, learnerId: string): ProfessionalOutcomeReported {
  return { eventId: uuidOf(n), type: 'ProfessionalOutcomeReported', learnerId, occurredAt: '2020-06-01T00:00:00Z', data: { outcome: 'new-job', evidence: { kind: 'survey-response', reference: `R${n}` } } };
}

interface Head {
  readonly figure: string;
  readonly value: number;
  readonly logPosition: number;
  readonly eventCount?: number;
}

/**
 * `GET /figures/{id}/explain` as a stream (NDJSON) and as pages (`limit` + `after`), on a
 * real SQLite ledger loaded through the real ingest: a figure the log is scanned for
 * (courses started) and one whose read model names its events (impact).
 */
describe('GET /figures/{id}/explain streamed and paged', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const committee = () => bearer(api.keys.committee);

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2021-02-01T00:00:00Z');
    const events: LogEvent[] = [];
    for (let n = 1; n <= COURSES; n += 1) events.push(courseStarted(n, `L${n % 3_000}`, `${n % 50 === 0 ? 2019 : 2020}-05-01T10:00:00Z`));
    for (let n = 1; n <= DECLARATIONS; n += 1) events.push(declared(COURSES + n, `L${n}`));
    // One course in a hundred retracted, and a declaration.
    for (let n = 3; n <= COURSES; n += 100) events.push(retracted(2 * COURSES + n, `L${n % 3_000}`, uuidOf(n)));
    events.push(retracted(3 * COURSES, 'L5', uuidOf(COURSES + 5)));
    const ingestor = new EventIngestor(api.store, api.clock.now);
    for (let i = 0; i < events.length; i += 5_000) await ingestor.ingest(events.slice(i, i + 5_000));
  }, 90_000);
  afterAll(() => api?.close());

  /** The whole provenance in one JSON answer (no limit). */
  async function single(figure: string): Promise<{ eventCount: number; events: ExplainedEvent[]; next: number | null; value: number }> {
    const res = await http().get(`/figures/${figure}/explain`).query(YEAR).set(committee()).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.body;
  }

  async function ndjson(figure: string, query: Record<string, string> = {}): Promise<string[]> {
    const res = await http()
      .get(`/figures/${figure}/explain`)
      .query({ ...YEAR, ...query })
      .set({ ...committee(), accept: 'application/x-ndjson' })
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = res.body as string;
    expect(text.endsWith('\n')).toBe(true);
    return text.slice(0, -1).split('\n');
  }

  it.each([
    ['key.courses-started', COURSES - COURSES / 50 - COURSES / 100], // less those of 2019 and those retracted (none of 2019)
    ['impact.positive-progressions', DECLARATIONS - 1],
  ])('%s as NDJSON: a head line, one line per event (as many as the figure counts), a last line with the count', async (figure, count) => {
    const report = await http().get('/reports').query(YEAR).set(committee()).expect(200);
    const lines = await ndjson(figure);
    const head = JSON.parse(lines[0] ?? '') as Head;
    const events = lines.slice(1, -1).map((line) => JSON.parse(line) as ExplainedEvent);
    const last = JSON.parse(lines[lines.length - 1] ?? '') as { eventCount: number; next: number | null };
    expect(head).toMatchObject({ figure, value: report.body.figures[figure] });
    expect(last).toEqual({ eventCount: count, next: null });
    expect(events).toHaveLength(count);
    if (head.eventCount !== undefined) expect(head.eventCount).toBe(count);
    // The same events, in the same order, as the JSON answer lists.
    expect(events).toEqual((await single(figure)).events);
    expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
  }, 60_000);

  it.each([
    ['key.courses-started', 1_000],
    ['impact.positive-progressions', 700],
  ])('%s in pages of %i: a walk with the `next` cursor gives the same events as the single listing, each page the whole count', async (figure, limit) => {
    const all = await single(figure);
    const walked: ExplainedEvent[] = [];
    let after: number | null = 0;
    let pages = 0;
    while (after !== null) {
      const res: request.Response = await http().get(`/figures/${figure}/explain`).query({ ...YEAR, limit: String(limit), after: String(after) }).set(committee()).expect(200);
      expect(res.body.eventCount).toBe(all.eventCount);
      expect(res.body.events.length).toBeLessThanOrEqual(limit);
      walked.push(...res.body.events);
      after = res.body.next;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(all.eventCount / limit));
    expect(walked).toEqual(all.events);
    expect(all.next).toBeNull();
  }, 120_000);

  it('a page in NDJSON: the events after the cursor, the count of them all, and the next cursor', async () => {
    const all = await single('key.courses-started');
    const cursor = all.events[99]?.position ?? 0;
    const lines = await ndjson('key.courses-started', { after: String(cursor), limit: '10' });
    expect(lines.slice(1, -1).map((line) => JSON.parse(line))).toEqual(all.events.slice(100, 110));
    expect(JSON.parse(lines[lines.length - 1] ?? '')).toEqual({ eventCount: all.eventCount, next: all.events[109]?.position });
  }, 60_000);

  it('refuses a cursor that is not a log position with 400 naming `after`', async () => {
    const res = await http().get('/figures/key.courses-started/explain').query({ ...YEAR, after: '-1' }).set(committee()).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, field: 'after', message: expect.stringContaining('after must be a log position') });
  });
});
