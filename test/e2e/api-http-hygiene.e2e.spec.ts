import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { learnerActive, retracted, surveyAnswered, uuidOf } from '../support/event-builders';

/** HTTP hygiene, through the real NestJS pipeline over real files: headers, bodies, error lists, rate limits. */
describe('HTTP hygiene', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const post = (body: unknown) => http().post('/events').set(bearer(api.keys.ingest)).send(body as object);
  const postText = (text: string, type = 'application/json') =>
    http().post('/events').set(bearer(api.keys.ingest)).set('content-type', type).send(text);
  const head = async () => (await api.store.head()).position;

  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  describe('headers', () => {
    it('every API answer: helmet headers, no X-Powered-By, Cache-Control no-store', async () => {
      const answers = [
        await post(learnerActive(1)).expect(201),
        await post([]).expect(400),
        await http().get('/health').expect(200),
        await http().get('/reports').query({ from: '2020-01-01', to: '2020-12-31' }).set(bearer(api.keys.committee)).expect(200),
        await http().get('/nowhere').set(bearer(api.keys.admin)).expect(404),
        await http().get('/me').expect(401),
      ];
      for (const res of answers) {
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('/docs and its files: a CSP of their own origin only, no framing, no store', async () => {
      const page = await http().get('/docs').redirects(1).expect(200);
      expect(page.text).toContain('swagger-ui');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-powered-by']).toBeUndefined();
      const script = await http().get('/docs/swagger-ui-init.js').expect(200);
      expect(script.headers['content-security-policy']).toBe(csp);
      expect(script.headers['cache-control']).toBe('no-store');
      const doc = await http().get('/docs-json').expect(200);
      expect(doc.headers['cache-control']).toBe('no-store');
      expect(doc.headers['x-content-type-options']).toBe('nosniff');
    });

    it('/docs loads under its CSP: no inline script, every script and style a file of its own origin', async () => {
      const page = await http().get('/docs').redirects(1).expect(200);
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const [, attributes, body] of scripts) {
        expect(body?.trim()).toBe(''); // an inline script would be refused by script-src 'self'
        const src = /src=['"]([^'"]+)['"]/.exec(attributes ?? '')?.[1] ?? '';
        expect(src).toMatch(/^\.\/docs\/[\w.-]+\.js$/);
      }
      const sources = [...page.text.matchAll(/(?:src|href)=['"](\.\/[^'"]+|\/docs\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
      expect(sources).toEqual(expect.arrayContaining(['./docs/swagger-ui-bundle.js', './docs/swagger-ui-init.js', './docs/swagger-ui.css']));
      for (const source of sources) {
        const res = await http().get(source.replace(/^\./, '')).expect(200);
        expect(res.headers['content-type']).toMatch(/javascript|css|png/);
      }
      // The page's own <style> block needs style-src 'unsafe-inline'; nothing else is relaxed.
      expect(page.text).toContain('<style>');
      expect(String(page.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
    });

    it('the dashboard keeps its stricter CSP, and is revalidated rather than never stored', async () => {
      const page = await http().get('/').expect(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('bodies', () => {
    it('415 for a body that is not JSON, or has no Content-Type; nothing stored', async () => {
      const text = JSON.stringify(learnerActive(1));
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await postText(text, type).expect(415);
        expect(res.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: expect.stringContaining(type) });
        expect(res.body.message).toContain('application/json');
      }
      const untyped = await http().post('/events').set(bearer(api.keys.ingest)).set('content-length', String(text.length)).send(Buffer.from(text));
      expect(untyped.status).toBe(415);
      expect(await head()).toBe(0);
      // A JSON type with parameters is JSON; a request without a body is not refused for its type.
      await postText(text, 'application/json; charset=utf-8').expect(201);
      await http().post('/rebuilds').set(bearer(api.keys.admin)).expect(202);
    });

    it('a key named twice in an event is refused naming the key, at any depth; nothing stored', async () => {
      const top = JSON.stringify(learnerActive(1)).replace('"learnerId":"L1"', '"learnerId":"L1","learnerId":"L2"');
      const res = await postText(top).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        message: 'nothing of this request was stored',
        errors: [{ index: 0, eventId: uuidOf(1), field: 'learnerId', message: expect.stringContaining('"learnerId" appears twice') }],
        errorCount: 1,
      });

      const survey = JSON.stringify(surveyAnswered(2, 'a')).replace('"held":["job-seeker"]', '"held":["job-seeker"],"held":[]');
      const batch = `[${JSON.stringify(learnerActive(1))},${survey}]`;
      const nested = await postText(batch).expect(400);
      expect(nested.body.errors).toEqual([
        { index: 1, eventId: uuidOf(2), field: 'data.statusAssessment.held', message: expect.stringContaining('"held" appears twice') },
      ]);
      // Spacing and escapes do not hide a duplicate: "\u0064ata" is "data".
      const spaced = `{ "eventId" : "${uuidOf(3)}", "type" : "LearnerActive", "learnerId" : "x", "occurredAt" : "2020-03-01T10:00:00Z", "data" : {}, "\\u0064ata" : {} }`;
      expect((await postText(spaced).expect(400)).body.errors).toEqual([expect.objectContaining({ index: 0, field: 'data' })]);
      expect(await head()).toBe(0);
    });

    it('text that only looks like a key (a quote and a colon inside a string) is accepted', async () => {
      await post(learnerActive(1, 'a')).expect(201);
      const retraction = retracted(2, 'a', uuidOf(1));
      const odd = { ...retraction, data: { ...retraction.data, reason: 'sent twice: "learnerId": twice, \\": and ":"' } };
      await post(odd).expect(201);
      expect(await head()).toBe(2);
    });

    it('a key named twice in another route\'s body is refused naming it', async () => {
      const res = await http()
        .post('/publications')
        .set(bearer(api.keys.committee))
        .set('content-type', 'application/json')
        .send('{"from":"2020-01-01","to":"2020-12-31","to":"2021-12-31"}')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, field: 'to', message: expect.stringContaining('"to" appears twice') });
      expect(await head()).toBe(0);
    });

    it('an empty batch is 400, not 200', async () => {
      const res = await post([]).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, field: '(body)', message: expect.stringContaining('empty') });
    });

    it('100,000 bad events: the first 100 errors and the count, in a small answer', async () => {
      const res = await postText(`[${Array.from({ length: 100_000 }, () => '{}').join(',')}]`).expect(400);
      expect(res.body.errors).toHaveLength(100);
      expect(res.body.errors[0]).toMatchObject({ index: 0 });
      expect(res.body.errorCount).toBeGreaterThanOrEqual(100_000);
      expect(res.text.length).toBeLessThan(50_000);
      expect(await head()).toBe(0);
    });

    it('a few bad events: every error, and the count', async () => {
      const res = await post([{}, learnerActive(1), { ...learnerActive(2), occurredAt: 'yesterday' }]).expect(400);
      expect(res.body.errorCount).toBe(res.body.errors.length);
      expect(res.body.errors.map((e: { index: number }) => e.index)).toContain(2);
    });
  });
});

describe('rate limit per API key', () => {
  let api: ApiUnderTest;
  const saved = { limit: process.env.API_RATE_LIMIT, window: process.env.API_RATE_WINDOW_SECONDS };
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    process.env.API_RATE_LIMIT = '5';
    process.env.API_RATE_WINDOW_SECONDS = '60';
    api = await startApi();
  });
  afterAll(async () => {
    for (const [name, value] of [['API_RATE_LIMIT', saved.limit], ['API_RATE_WINDOW_SECONDS', saved.window]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await api?.close();
  });

  it('429 with Retry-After past the limit, for that key only, whatever the route', async () => {
    await http().get('/me').set(bearer(api.keys.committee)).expect(200);
    await http().get('/reports').query({ from: '2020-01-01', to: '2020-12-31' }).set(bearer(api.keys.committee)).expect(200);
    for (let i = 0; i < 3; i += 1) await http().get('/me').set(bearer(api.keys.committee)).expect(200);
    const refused = await http().get('/publications').set(bearer(api.keys.committee)).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('API_RATE_LIMIT') });
    expect(refused.headers['cache-control']).toBe('no-store');
    // Another key has its own budget, even from the same address.
    await http().get('/me').set(bearer(api.keys.auditor)).expect(200);
    // A refused credential is not counted against the key it names.
    const [id] = /^lk_([0-9a-f]+)_/.exec(api.keys.ingest)?.slice(1) ?? [];
    for (let i = 0; i < 6; i += 1) await http().get('/me').set(bearer(`lk_${id}_wrong`)).expect(401);
    await http().post('/events').set(bearer(api.keys.ingest)).send(learnerActive(1)).expect(201);
  });

  it('the public routes count by address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await http().get('/health')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
