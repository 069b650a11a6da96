import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { learnerActive } from '../support/event-builders';

/** prom-client's metrics beyond the ledger's historical names, and the request ids of the structured log. */
describe('metrics and request ids', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

  it('GET /metrics: commit sizes, request latency by route template, and the process metrics', async () => {
    await http().post('/events').set(bearer(api.keys.ingest)).send([learnerActive(1, 'a'), learnerActive(2, 'a'), learnerActive(3, 'b')]).expect(201);
    await http().post('/events').set(bearer(api.keys.ingest)).send(learnerActive(4, 'c')).expect(201);
    await http().get('/figures/nope/explain').query({ from: '2020-01-01', to: '2020-12-31' }).set(bearer(api.keys.auditor)).expect(400);
    await http().get('/nowhere').set(bearer(api.keys.auditor)).expect(404);
    const res = await http().get('/metrics').set(bearer(api.keys.auditor)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('# TYPE ledger_group_commit_events histogram');
    expect(value(text, 'ledger_group_commit_events_count')).toBe(2);
    expect(value(text, 'ledger_group_commit_events_sum')).toBe(4);
    expect(value(text, 'ledger_group_commit_events_bucket{le="1"}')).toBe(1);
    expect(value(text, 'ledger_http_request_duration_seconds_count{method="POST",route="/events",status="201"}')).toBe(2);
    expect(value(text, 'ledger_http_request_duration_seconds_count{method="GET",route="/figures/:figureId/explain",status="400"}')).toBe(1);
    expect(value(text, 'ledger_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(value(text, 'ledger_events_appended_total')).toBe(4);
    expect(value(text, 'ledger_log_position')).toBe(4);
    expect(value(text, 'ledger_group_commits_total')).toBe(2);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('gives every answer a request id: the caller\'s when it is a plain one, else a new UUID', async () => {
    const given = await http().get('/health').set('X-Request-Id', 'trace-42.a:b').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42.a:b');
    const made = await http().get('/health').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const refused = await http().get('/health').set('X-Request-Id', 'x'.repeat(65)).expect(200);
    expect(refused.headers['x-request-id']).not.toBe('x'.repeat(65));
    expect(refused.headers['x-request-id']).not.toBe(made.headers['x-request-id']);
  });
});
