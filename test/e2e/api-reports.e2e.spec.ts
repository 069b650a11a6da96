import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { JobsService } from '../../apps/api/src/jobs/jobs.service';
import type { ProfessionalOutcomeReported } from '@ledger/events';
import { EventIngestor } from '@ledger/ingest';
import { Ed25519NoteSigner } from '@ledger/integrity';
import { PROJECTIONS } from '@ledger/projections';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, learnerActive, surveyAnswered, uuidOf } from '../support/event-builders';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const PUBLISHED_AT = '2021-03-15T00:00:00.000Z';

function outcomeReported(n: number, learnerId: string, occurredAt: string): ProfessionalOutcomeReported {
  return {
    eventId: uuidOf(n),
    type: 'ProfessionalOutcomeReported',
    learnerId,
    occurredAt,
    data: { outcome: 'new-job', evidence: { kind: 'survey-response', reference: `R${n}` } },
  };
}

/**
 * The reading routes end to end: a real SQLite ledger loaded through the real ingest, each
 * batch recorded at its own moment, then asked through HTTP as the dashboard asks.
 */
describe('reports, provenance, publications, audits, proofs, health and metrics over HTTP', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const as = (role: keyof ApiUnderTest['keys']) => bearer(api.keys[role]);
  const head = async () => (await api.store.head()).position;

  async function finished(jobId: string): Promise<{ state: string; progress: { phase: string; done: number; total: number }; result: any; error?: string }> {
    for (;;) {
      const res = await http().get(`/jobs/${jobId}`).set(as('auditor')).expect(200);
      if (res.body.state !== 'running') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    api = await startApi();
    const ingestor = new EventIngestor(api.store, api.clock.now);
    // Recorded before the 2020 report was published (2021-03-15)...
    api.clock.set('2021-01-10T12:00:00Z');
    await ingestor.ingest([surveyAnswered(1, 'a'), admitted(2, 'a', 'A2'), learnerActive(3, 'a'), outcomeReported(4, 'a', '2020-09-01T00:00:00Z')]);
    // ...and one declaration recorded after it.
    api.clock.set('2021-04-01T00:00:00Z');
    await ingestor.ingest([outcomeReported(5, 'b', '2020-10-01T00:00:00Z')]);
    api.clock.set('2021-06-01T00:00:00Z');
  });
  afterAll(() => api?.close());

  it('GET /health: the store is up; the read models are behind the log until a report catches them up', async () => {
    const before = await http().get('/health').expect(200);
    expect(before.body).toEqual({
      status: 'degraded',
      store: 'up',
      head: 5,
      projections: PROJECTIONS.map((p) => ({ name: p.name, version: p.version, position: 0, lag: 5 })),
    });
    await http().get('/reports').query(YEAR).set(as('committee')).expect(200);
    const after = await http().get('/health').expect(200);
    expect(after.body.status).toBe('ok');
    expect(after.body.projections.map((p: { lag: number; position: number }) => [p.position, p.lag])).toEqual(PROJECTIONS.map(() => [5, 0]));
  });

  it("GET /reports is KPIS.md's document, as known now or at a moment", async () => {
    const now = await http().get('/reports').query(YEAR).set(as('committee')).expect(200);
    expect(Object.keys(now.body)).toEqual(['period', 'knownAt', 'logPosition', 'figures']);
    expect(now.body).toMatchObject({ period: YEAR, knownAt: '2021-06-01T00:00:00.000Z', logPosition: 5 });
    expect(now.body.figures['impact.positive-progressions']).toBe(2);

    const then = await http().get('/reports').query({ ...YEAR, knownAt: '2021-03-15T01:00:00+01:00' }).set(as('auditor')).expect(200);
    expect(then.body).toMatchObject({ knownAt: PUBLISHED_AT, logPosition: 4 });
    expect(then.body.figures['impact.positive-progressions']).toBe(1);
    expect(Object.keys(then.body.figures).sort()).toEqual(Object.keys(now.body.figures).sort());
  });

  it('GET /figures/{id}/explain names the events that make the figure', async () => {
    const res = await http().get('/figures/impact.positive-progressions/explain').query(YEAR).set(as('committee')).expect(200);
    expect(res.body).toMatchObject({ figure: 'impact.positive-progressions', value: 2, period: YEAR, knownAt: '2021-06-01T00:00:00.000Z', logPosition: 5 });
    expect(res.body.rule).toEqual(expect.any(String));
    expect(res.body.events).toEqual([
      { position: 4, eventId: uuidOf(4), type: 'ProfessionalOutcomeReported', learnerId: 'a', occurredAt: '2020-09-01T00:00:00Z', recordedAt: '2021-01-10T12:00:00.000Z' },
      { position: 5, eventId: uuidOf(5), type: 'ProfessionalOutcomeReported', learnerId: 'b', occurredAt: '2020-10-01T00:00:00Z', recordedAt: '2021-04-01T00:00:00.000Z' },
    ]);
    const then = await http().get('/figures/impact.positive-progressions/explain').query({ ...YEAR, knownAt: PUBLISHED_AT }).set(as('committee')).expect(200);
    expect(then.body.events.map((e: { position: number }) => e.position)).toEqual([4]);
  });

  it('GET /figures/{id}/explain lists at most `limit` events, and always says how many make the figure', async () => {
    const res = await http().get('/figures/impact.positive-progressions/explain').query({ ...YEAR, limit: '1' }).set(as('committee')).expect(200);
    expect(res.body.eventCount).toBe(2);
    expect(res.body.events.map((e: { position: number }) => e.position)).toEqual([4]);
    const bad = await http().get('/figures/impact.positive-progressions/explain').query({ ...YEAR, limit: 'many' }).set(as('committee')).expect(400);
    expect(bad.body).toMatchObject({ field: 'limit' });
  });

  it('GET /figures/{id}/changes gives the values at A and B and the events recorded between them that changed the figure', async () => {
    const res = await http()
      .get('/figures/impact.positive-progressions/changes')
      .query({ ...YEAR, knownAtA: PUBLISHED_AT, knownAtB: '2021-06-01T00:00:00Z' })
      .set(as('committee'))
      .expect(200);
    expect(res.body).toMatchObject({ figure: 'impact.positive-progressions', a: { value: 1, logPosition: 4 }, b: { value: 2, logPosition: 5 }, retracted: [], explained: true });
    expect(res.body.added.map((e: { eventId: string }) => e.eventId)).toEqual([uuidOf(5)]);
    const reversed = await http()
      .get('/figures/impact.positive-progressions/changes')
      .query({ ...YEAR, knownAtA: '2021-06-01T00:00:00Z', knownAtB: PUBLISHED_AT })
      .set(as('committee'))
      .expect(400);
    expect(reversed.body).toMatchObject({ field: 'knownAtA' });
    await http().get('/figures/impact.positive-progressions/changes').query({ ...YEAR, knownAtA: PUBLISHED_AT }).set(as('committee')).expect(400);
    await http().get('/figures/impact.positive-progressions/changes').query({ ...YEAR, knownAtA: PUBLISHED_AT, knownAtB: PUBLISHED_AT }).set(as('ingest')).expect(403);
  });

  it.each([
    ['a day that is not a date', { from: '2020-13-01', to: '2020-12-31' }, 'from', 'from must be a calendar day'],
    ['a day that does not exist', { from: '2020-01-01', to: '2020-02-30' }, 'to', 'to must be a calendar day'],
    ['a day in another format', { from: '01/01/2020', to: '2020-12-31' }, 'from', 'from must be a calendar day'],
    ['from after to', { from: '2020-12-31', to: '2020-01-01' }, 'from', 'is after to'],
    ['a knownAt that is not a date', { ...YEAR, knownAt: 'yesterday' }, 'knownAt', 'RFC 3339'],
    ['a knownAt without an offset', { ...YEAR, knownAt: '2021-03-15T00:00:00' }, 'knownAt', 'RFC 3339'],
    ['a knownAt in the future', { ...YEAR, knownAt: '2030-01-01T00:00:00Z' }, 'knownAt', 'in the future'],
    ['no from', { to: '2020-12-31' }, 'from', 'from must be a string'],
    ['an unknown parameter', { ...YEAR, fromat: 'csv' }, 'fromat', 'property fromat should not exist'],
    ['a format neither takes', { ...YEAR, format: 'docx' }, 'format', 'format must be one of json, '],
  ])('GET /reports and /figures/{id}/explain refuse %s with 400 naming the field', async (_, query, field, message) => {
    for (const path of ['/reports', '/figures/impact.positive-progressions/explain']) {
      const res = await http().get(path).query(query).set(as('committee')).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, field, message: expect.stringContaining(message) });
    }
  });

  it('GET /figures/{id}/explain refuses an unknown figure id with 400 naming figureId', async () => {
    const res = await http().get('/figures/impact.nothing/explain').query(YEAR).set(as('committee')).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, field: 'figureId', message: expect.stringContaining('unknown figure id "impact.nothing"') });
  });

  it('POST /publications seals the report in the log; GET /publications lists it; an id is used once', async () => {
    const res = await http().post('/publications').set(as('committee')).send({ ...YEAR, knownAt: PUBLISHED_AT, publicationId: 'mission-report-2020' }).expect(201);
    expect(res.body).toMatchObject({ publicationId: 'mission-report-2020', position: 6, eventId: expect.any(String), seal: { treeSize: 5, merkleRoot: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(res.body.report.figures['impact.positive-progressions']).toBe(1);
    // The signed checkpoint of the sealed tree, its key: the same note a proof against the publication carries.
    expect(res.body.checkpoint).toMatch(new RegExp(`\n5\n[A-Za-z0-9+/]{43}=\npublication mission-report-2020\nseal ${res.body.eventId} 6\n\n— `));
    expect(res.body.publicKey).toMatch(/^ledger\.invalid\/impact-ledger\/[0-9a-f-]+\+[0-9a-f]{8}\+/);

    const list = await http().get('/publications').set(as('committee')).expect(200);
    expect(list.body).toEqual([
      {
        publicationId: 'mission-report-2020',
        eventId: res.body.eventId,
        position: 6,
        recordedAt: '2021-06-01T00:00:00.000Z',
        report: expect.objectContaining({ period: YEAR, knownAt: PUBLISHED_AT, logPosition: 4 }),
        seal: res.body.seal,
      },
    ]);

    const again = await http().post('/publications').set(as('committee')).send({ ...YEAR, publicationId: 'mission-report-2020' }).expect(409);
    expect(again.body).toMatchObject({ statusCode: 409, field: 'publicationId', message: expect.stringContaining('already exists') });
    expect(await head()).toBe(6);
  });

  it('a refused POST stores nothing: bad input, bad id, unknown property, oversized body', async () => {
    const before = await head();
    await http().post('/publications').set(as('committee')).send({ from: '2020-02-30', to: '2020-12-31' }).expect(400).expect((r) => expect(r.body.field).toBe('from'));
    await http().post('/publications').set(as('committee')).send({ ...YEAR, publicationId: 'no spaces please' }).expect(400).expect((r) => expect(r.body.field).toBe('publicationId'));
    await http().post('/publications').set(as('committee')).send({ ...YEAR, sealed: true }).expect(400).expect((r) => expect(r.body.field).toBe('sealed'));
    const huge = await http().post('/publications').set(as('committee')).send({ ...YEAR, padding: 'x'.repeat(9 * 2 ** 20) }).expect(413);
    expect(huge.body.message).toContain('nothing of this request was stored');
    await http().post('/audits').set(as('auditor')).send({ ...YEAR, published: 'no-such-report' }).expect(400).expect((r) => expect(r.body.field).toBe('published'));
    await http().post('/rebuilds').set(as('admin')).send({ projection: 'nope' }).expect(400).expect((r) => expect(r.body.field).toBe('projection'));
    expect(await head()).toBe(before);
    expect((await http().get('/jobs').set(as('admin')).expect(200)).body).toEqual([]);
  });

  it('POST /audits runs the audit as a job; GET /jobs/{id} gives its progress, then its findings', async () => {
    const started = await http().post('/audits').set(as('auditor')).send({ ...YEAR, knownAt: PUBLISHED_AT, published: 'mission-report-2020' }).expect(202);
    expect(started.body).toEqual({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const job = await finished(started.body.jobId);
    expect(job).toMatchObject({ id: started.body.jobId, kind: 'audit', state: 'done', progress: { phase: 'done' } });
    expect(job.result).toMatchObject({
      ok: true,
      period: YEAR,
      knownAt: PUBLISHED_AT,
      logPosition: 4,
      head: 6,
      log: { ok: true, checked: 6 },
      seals: [{ publicationId: 'mission-report-2020', treeSize: 5, extendedByToday: true }],
      replay: { differences: [] },
      impact: { ok: true, figure: 1, recounted: 1 },
      published: { ok: true },
    });
    // The restatement since publication is explained by the declaration recorded after it.
    const impact = job.result.published.figures.find((f: { figure: string }) => f.figure === 'impact.positive-progressions');
    expect(impact).toMatchObject({ published: 1, atPublication: 1, now: 2, reproduced: true, restatement: { explained: true, added: [expect.objectContaining({ eventId: uuidOf(5) })] } });
  });

  it('GET /jobs/{id} shows a running job with its phase and how far it has got', async () => {
    let release = () => {};
    const job = api.app.get(JobsService).start(
      'audit',
      { id: api.keys.auditor.slice(3, 19), name: 'auditor tester', role: 'auditor', createdAt: '', revokedAt: null },
      {},
      async (progress) => {
        progress('verifying the log', 3, 6);
        await new Promise<void>((resolve) => (release = resolve));
        return { ok: true };
      },
    );
    for (;;) {
      const res = await http().get(`/jobs/${job.id}`).set(as('auditor')).expect(200);
      if (res.body.progress.done === 3) {
        expect(res.body).toMatchObject({ state: 'running', progress: { phase: 'verifying the log', done: 3, total: 6 } });
        expect(res.body.result).toBeUndefined();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await http().post('/audits').set(as('auditor')).send(YEAR).expect(409).expect((r) => expect(r.body.jobId).toBe(job.id));
    release();
    expect(await finished(job.id)).toMatchObject({ state: 'done', progress: { phase: 'done', done: 6, total: 6 }, result: { ok: true } });
  });

  it('POST /rebuilds rebuilds the read models as a job, with its progress', async () => {
    const started = await http().post('/rebuilds').set(as('admin')).send({}).expect(202);
    let job;
    for (;;) {
      job = (await http().get(`/jobs/${started.body.jobId}`).set(as('admin')).expect(200)).body;
      if (job.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(job).toMatchObject({ kind: 'rebuild', state: 'done', progress: { phase: 'done', done: 6, total: 6 }, startedBy: { role: 'admin', name: 'admin tester' } });
    expect(job.result.projections).toEqual(PROJECTIONS.map((p) => ({ name: p.name, version: p.version, position: 6 })));
  });

  it('GET /proofs/{eventId} gives a bundle tools/verify-proof.js checks, against the log or a publication', async () => {
    for (const against of [undefined, 'mission-report-2020']) {
      const res = await http().get(`/proofs/${uuidOf(4)}`).query(against ? { against } : {}).set(as('auditor')).expect(200);
      // A ledger made now writes leaf v2: format 2, the leaf's public part and the payload with its salt (docs/erasure.md).
      expect(res.body).toMatchObject({
        format: 'impact-ledger-proof/2',
        leafIndex: 3,
        treeSize: against ? 5 : 6,
        leaf: { v: 2, position: 4 },
        payload: { eventId: uuidOf(4), salt: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      if (against) expect(res.body.sealedBy).toMatchObject({ publicationId: against, position: 6 });
      const file = join(api.files.dir, 'proof.json');
      writeFileSync(file, JSON.stringify(res.body));
      const check = spawnSync(process.execPath, [join(__dirname, '..', '..', 'tools', 'verify-proof.js'), file], { encoding: 'utf8' });
      expect([check.status, check.stderr]).toEqual([0, '']);
      // The bundle carries the ledger's checkpoint of its tree: checked against the ledger's key.
      const origin = String(res.body.checkpoint).split('\n')[0] ?? '';
      const key = Ed25519NoteSigner.fromPem(origin, readFileSync(join(api.files.dir, 'signing-key.pem'))).verifierKey();
      const signed = spawnSync(process.execPath, [join(__dirname, '..', '..', 'tools', 'verify-proof.js'), '--key', key, file], { encoding: 'utf8' });
      expect([signed.status, signed.stderr]).toEqual([0, '']);
      expect(signed.stdout).toMatch(/ok: the checkpoint is signed by the key given/);
    }
    await http().get(`/proofs/${uuidOf(99)}`).set(as('auditor')).expect(404).expect((r) => expect(r.body.field).toBe('eventId'));
    await http().get(`/proofs/${uuidOf(4)}`).query({ against: 'nope' }).set(as('auditor')).expect(400).expect((r) => expect(r.body.field).toBe('against'));
    // The publication event itself is after the tree it sealed.
    const publication = (await http().get('/publications').set(as('auditor')).expect(200)).body[0];
    const after = await http().get(`/proofs/${publication.eventId}`).query({ against: 'mission-report-2020' }).set(as('auditor')).expect(400);
    expect(after.body).toMatchObject({ field: 'against', message: expect.stringContaining('not in that tree') });
  });

  it('GET /metrics is Prometheus text: events appended, ingest latency, group commits, projection lag', async () => {
    await http().post('/events').set(as('ingest')).send([learnerActive(20, 'c'), learnerActive(21, 'c')]).expect(201);
    await http().post('/events').set(as('ingest')).send(learnerActive(20, 'c')).expect(200);
    await http().post('/events').set(as('ingest')).send({ type: 'Nope' }).expect(400);
    const res = await http().get('/metrics').set(as('admin')).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(res.text)?.[1]);
    expect(value('ledger_events_appended_total')).toBe(2);
    expect(value('ledger_ingest_duration_seconds_count')).toBe(3);
    expect(value('ledger_ingest_duration_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(value('ledger_ingest_duration_seconds_sum')).toBeGreaterThan(0);
    expect(res.text).toContain('# TYPE ledger_ingest_duration_seconds histogram');
    expect(value('ledger_log_position')).toBe(8);
    expect(value('ledger_group_commit_requests_total')).toBe(2);
    for (const p of PROJECTIONS) expect([p.name, value(`ledger_projection_lag_events{projection="${p.name}"}`)]).toEqual([p.name, 2]);
  });

  it('answers 404 for an unknown route, with or without a credential', async () => {
    await http().get('/nope').expect(404);
    await http().get('/reports/2020').set(as('committee')).expect(404);
    await http().post('/nope').set(as('admin')).send({}).expect(404);
  });

  it('serves the OpenAPI UI at /docs and the document at /docs-json, with the bearer scheme declared', async () => {
    const ui = await http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = (await http().get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /reports',
        'GET /figures/{figureId}/explain',
        'GET /figures/{figureId}/changes',
        'GET /publications',
        'POST /publications',
        'POST /audits',
        'GET /jobs/{jobId}',
        'POST /rebuilds',
        'GET /proofs/{eventId}',
        'POST /events',
        'GET /health',
        'GET /metrics',
        'GET /me',
      ]),
    );
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/reports'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['format', 'from', 'knownAt', 'lang', 'to']);
  });

  it('GET /health answers 503 when the store does not answer', async () => {
    await api.store.close();
    const res = await http().get('/health').expect(503);
    expect(res.body).toEqual({ status: 'degraded', store: 'down', head: null, projections: [] });
    expect(res.headers['retry-after']).toBe('10');
  });
});
