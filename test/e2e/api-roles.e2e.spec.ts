import { readFileSync } from 'node:fs';
import request from 'supertest';
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from '../../apps/cli/src/commands/keys.command';
import type { CliIo } from '../../apps/cli/src/cli-io';
import type { Role } from '@ledger/auth';
import { ROLES } from '@ledger/auth';
import { EventIngestor } from '@ledger/ingest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, learnerActive, surveyAnswered, uuidOf } from '../support/event-builders';

type Method = 'get' | 'post' | 'delete';

/** A route, what a caller sends it, and the status an allowed caller gets. */
interface Route {
  readonly method: Method;
  /** `:auditJob` and `:spareKey` stand for what `beforeAll` made. */
  readonly path: string;
  readonly allowed: readonly Role[];
  readonly ok: number;
  /** Made for each caller, so that each allowed call succeeds on its own. */
  readonly body?: (role: Role) => object;
}

/** Made in `beforeAll`: an audit job started by an auditor, and a key for admins to revoke. */
const made = { auditJob: '', spareKey: '' };

const READERS: Role[] = ['committee', 'auditor', 'admin'];
const AUDITORS: Role[] = ['auditor', 'admin'];
const YEAR = 'from=2020-01-01&to=2020-12-31';

/** Every route of docs/api.md, and who may call it. */
const ROUTES: Route[] = [
  { method: 'get', path: '/me', allowed: ROLES, ok: 200 },
  { method: 'post', path: '/events', allowed: ['ingest'], ok: 201, body: (role) => learnerActive(100 + ROLES.indexOf(role), `L-${role}`) },
  { method: 'get', path: `/reports?${YEAR}`, allowed: READERS, ok: 200 },
  { method: 'get', path: `/figures/impact.positive-progressions/explain?${YEAR}`, allowed: READERS, ok: 200 },
  { method: 'get', path: `/figures/impact.positive-progressions/changes?${YEAR}&knownAtA=2021-01-01T00%3A00%3A00Z&knownAtB=2021-01-10T00%3A00%3A00Z`, allowed: READERS, ok: 200 },
  { method: 'get', path: '/publications', allowed: READERS, ok: 200 },
  { method: 'get', path: '/years', allowed: READERS, ok: 200 },
  { method: 'get', path: '/provenance/events?positions=1,2', allowed: READERS, ok: 200 },
  { method: 'post', path: '/publications', allowed: READERS, ok: 201, body: (role) => ({ from: '2020-01-01', to: '2020-12-31', publicationId: `by-${role}` }) },
  { method: 'post', path: '/audits', allowed: AUDITORS, ok: 202, body: () => ({ from: '2020-01-01', to: '2020-12-31' }) },
  { method: 'get', path: '/jobs', allowed: AUDITORS, ok: 200 },
  { method: 'get', path: '/jobs/:auditJob', allowed: AUDITORS, ok: 200 },
  { method: 'post', path: '/rebuilds', allowed: ['admin'], ok: 202, body: () => ({ projection: 'impact' }) },
  { method: 'get', path: `/proofs/${uuidOf(1)}`, allowed: AUDITORS, ok: 200 },
  { method: 'get', path: '/metrics', allowed: AUDITORS, ok: 200 },
  { method: 'get', path: '/keys', allowed: ['admin'], ok: 200 },
  { method: 'post', path: '/keys', allowed: ['admin'], ok: 201, body: (role) => ({ name: `made by ${role}`, role: 'committee' }) },
  { method: 'delete', path: '/keys/:spareKey', allowed: ['admin'], ok: 200 },
  { method: 'get', path: '/proofs/positions/1', allowed: AUDITORS, ok: 200 },
  // Last: it erases learner a (the routes above read their events).
  { method: 'delete', path: '/learners/a', allowed: ['admin'], ok: 200, body: () => ({ reason: 'GDPR art. 17 request' }) },
];

const pathOf = (route: Route) => route.path.replace(/:(\w+)/g, (_, name: string) => made[name as keyof typeof made]);

function capture(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}

describe('who may do what (API keys and roles, the real NestJS pipeline over real SQLite files)', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const call = (method: Method, path: string, headers: Record<string, string>, body?: object) => {
    const req = http()[method](path).set(headers);
    return body === undefined ? req : req.send(body);
  };
  const head = async () => (await api.store.head()).position;

  /** Polls a job until it is no longer running. */
  async function finished(jobId: string, key: string): Promise<{ state: string; kind: string }> {
    for (;;) {
      const res = await http().get(`/jobs/${jobId}`).set(bearer(key)).expect(200);
      if (res.body.state !== 'running') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    api = await startApi();
    await new EventIngestor(api.store, api.clock.now).ingest([surveyAnswered(1, 'a'), admitted(2, 'a', 'A2')]);
    const audit = await http().post('/audits').set(bearer(api.keys.auditor)).send({ from: '2020-01-01', to: '2020-12-31' }).expect(202);
    made.auditJob = audit.body.jobId;
    await finished(made.auditJob, api.keys.auditor);
    made.spareKey = (await http().post('/keys').set(bearer(api.keys.admin)).send({ name: 'spare', role: 'ingest' }).expect(201)).body.id;
  });
  afterAll(() => api?.close());

  it.each(ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s: the allowed roles succeed, the others get 403 and change nothing, no credential gets 401',
    async (_, route) => {
      for (const role of ROLES) {
        const before = await head();
        const res = await call(route.method, pathOf(route), bearer(api.keys[role]), route.body?.(role));
        if (route.allowed.includes(role)) {
          expect([role, res.status]).toEqual([role, route.ok]);
          if (res.status === 202) expect(await finished(res.body.jobId, api.keys[role])).toMatchObject({ state: 'done' });
        } else {
          expect([role, res.status]).toEqual([role, 403]);
          // The refusal says why, and carries nothing else: no data of the route.
          expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
          expect(res.body.message).toContain(`role ${role} may not`);
          expect(await head()).toBe(before);
        }
      }
      const before = await head();
      const anonymous = await call(route.method, pathOf(route), {}, route.body?.('admin'));
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(anonymous.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('credential') });
      expect(await head()).toBe(before);
    },
  );

  it('GET /me names the key and its role, whichever header carries it', async () => {
    for (const role of ROLES) {
      await http().get('/me').set(bearer(api.keys[role])).expect(200, { id: api.keys[role].slice(3, 19), name: `${role} tester`, role });
    }
    const res = await http().get('/me').set('X-Api-Key', api.keys.auditor).expect(200);
    expect(res.body.role).toBe('auditor');
  });

  it('GET /health needs no credential; a key does no harm', async () => {
    await http().get('/health').expect(200);
    await http().get('/health').set(bearer(api.keys.ingest)).expect(200);
  });

  it('refuses with 401 a key that is malformed, unknown, or whose secret is wrong', async () => {
    const key = api.keys.admin;
    const wrongSecret = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const unknownId = `lk_${'0'.repeat(16)}${key.slice(19)}`;
    for (const credential of ['nonsense', wrongSecret, unknownId, key.slice(0, -1)]) {
      await http().get('/me').set(bearer(credential)).expect(401);
      await http().get('/me').set('X-Api-Key', credential).expect(401);
    }
    await http().get('/me').set('authorization', `Basic ${Buffer.from('a:b').toString('base64')}`).expect(401);
  });

  it('a job is visible to the role that started it and to admin only', async () => {
    const audit = await http().post('/audits').set(bearer(api.keys.auditor)).send({ from: '2020-01-01', to: '2020-12-31' }).expect(202);
    await finished(audit.body.jobId, api.keys.auditor);
    await http().get(`/jobs/${audit.body.jobId}`).set(bearer(api.keys.admin)).expect(200);
    await http().get(`/jobs/${audit.body.jobId}`).set(bearer(api.keys.committee)).expect(403);

    const rebuild = await http().post('/rebuilds').set(bearer(api.keys.admin)).send({}).expect(202);
    const done = await finished(rebuild.body.jobId, api.keys.admin);
    expect(done).toMatchObject({ kind: 'rebuild', state: 'done' });
    const hidden = await http().get(`/jobs/${rebuild.body.jobId}`).set(bearer(api.keys.auditor)).expect(404);
    expect(JSON.stringify(hidden.body)).not.toContain('rebuild');
    const listed = await http().get('/jobs').set(bearer(api.keys.auditor)).expect(200);
    expect(listed.body.map((j: { kind: string }) => j.kind)).not.toContain('rebuild');
    expect(listed.body.map((j: { id: string }) => j.id)).toContain(audit.body.jobId);
  });

  it('an admin creates and revokes keys over HTTP; the key is shown once, only its hash is stored', async () => {
    const created = await http().post('/keys').set(bearer(api.keys.admin)).send({ name: 'board', role: 'committee' }).expect(201);
    expect(created.body).toMatchObject({ name: 'board', role: 'committee', revokedAt: null, key: expect.stringMatching(/^lk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/) });
    await http().get('/me').set(bearer(created.body.key)).expect(200, { id: created.body.id, name: 'board', role: 'committee' });
    const listed = await http().get('/keys').set(bearer(api.keys.admin)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.slice(20));
    expect(readFileSync(api.files.apiKeysDb).includes(Buffer.from(created.body.key.slice(20)))).toBe(false);

    await http().post('/keys').set(bearer(api.keys.admin)).send({ name: 'x', role: 'root' }).expect(400).expect((res) => expect(res.body.field).toBe('role'));
    await http().post('/keys').set(bearer(api.keys.admin)).send({ name: '  ', role: 'committee' }).expect(400).expect((res) => expect(res.body.field).toBe('name'));

    const revoked = await http().delete(`/keys/${created.body.id}`).set(bearer(api.keys.admin)).expect(200);
    expect(revoked.body.revokedAt).toBe(api.clock.now().toISOString());
    await http().get('/me').set(bearer(created.body.key)).expect(401);
    await http().delete('/keys/0000000000000000').set(bearer(api.keys.admin)).expect(404);
  });

  it('ledger keys create, list and revoke work on the file the API reads; a revoked key gets 401 at the next request', async () => {
    const env = process.env.API_KEYS_DB;
    process.env.API_KEYS_DB = api.files.apiKeysDb;
    try {
      const created = capture();
      expect(await keysCreateCommand({ role: 'committee', name: 'treasurer' }, created)).toBe(0);
      const [key] = created.lines;
      expect(created.lines).toHaveLength(1);
      expect(key).toMatch(/^lk_[0-9a-f]{16}_/);
      const id = key?.slice(3, 19) ?? '';
      await http().get('/me').set(bearer(key ?? '')).expect(200, { id, name: 'treasurer', role: 'committee' });
      await http().get(`/reports?${YEAR}`).set(bearer(key ?? '')).expect(200);

      const listed = capture();
      expect(await keysListCommand(listed)).toBe(0);
      const row = listed.lines.find((line) => line.startsWith(id));
      expect(row).toMatch(/committee .* - +treasurer$/);
      expect(listed.lines.join('\n')).not.toContain(key?.slice(20));

      const revoked = capture();
      expect(await keysRevokeCommand(id, revoked)).toBe(0);
      expect(revoked.lines).toEqual([`revoked key ${id} (treasurer, committee)`]);
      const refused = await http().get(`/reports?${YEAR}`).set(bearer(key ?? '')).expect(401);
      expect(refused.body.message).toContain('revoked');
      expect(await keysRevokeCommand(id, capture())).toBe(0); // already revoked: said so, still revoked
      await http().get('/me').set(bearer(key ?? '')).expect(401);

      const unknown = capture();
      expect(await keysRevokeCommand('ffffffffffffffff', unknown)).toBe(1);
      expect(unknown.errors.join('')).toContain('no key with id');
      const bad = capture();
      expect(await keysCreateCommand({ role: 'superuser', name: 'x' }, bad)).toBe(2);
      expect(bad.errors.join('')).toContain('role must be one of ingest, committee, auditor, admin');
    } finally {
      if (env === undefined) delete process.env.API_KEYS_DB;
      else process.env.API_KEYS_DB = env;
    }
  });

  it('logs every request that changes something, refused ones too, with the key that made it', async () => {
    const before = readFileSync(api.files.requestLog, 'utf8').split('\n').filter(Boolean).length;
    await http().post('/publications').set(bearer(api.keys.committee)).send({ from: '2020-01-01', to: '2020-06-30', publicationId: 'logged' }).expect(201);
    await http().post('/publications').set(bearer(api.keys.ingest)).send({ from: '2020-01-01', to: '2020-06-30' }).expect(403);
    await http().post('/events').send(learnerActive(300, 'z')).expect(401);
    // Refused by the body parser, before the guard: logged, without the key it never checked.
    await http().post('/events').set(bearer(api.keys.ingest)).send({ padding: 'x'.repeat(9 * 2 ** 20) }).expect(413);
    await http().get(`/reports?${YEAR}`).set(bearer(api.keys.committee)).expect(200); // a read: not logged
    const lines = readFileSync(api.files.requestLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const time = api.clock.now().toISOString();
    expect(lines.slice(before)).toEqual([
      { time, keyId: api.keys.committee.slice(3, 19), keyName: 'committee tester', role: 'committee', method: 'POST', path: '/publications', status: 201 },
      { time, keyId: api.keys.ingest.slice(3, 19), keyName: 'ingest tester', role: 'ingest', method: 'POST', path: '/publications', status: 403 },
      { time, keyId: null, keyName: null, role: null, method: 'POST', path: '/events', status: 401 },
      { time, keyId: null, keyName: null, role: null, method: 'POST', path: '/events', status: 413 },
    ]);
  });
});
