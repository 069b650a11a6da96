import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ledgerOrigin, signHead } from '@ledger/audit';
import { Ed25519NoteSigner, openCheckpoint, verifyConsistency } from '@ledger/integrity';
import type { ApiUnderTest, StoreKind } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { courseStarted } from '../support/event-builders';
import { describeWithPostgres } from '../support/postgres';
import { exitOf, spawnCli } from '../support/run-cli';

function checkpointRoutes(kind: StoreKind): void {
  let api: ApiUnderTest;
  let signer: Ed25519NoteSigner;
  const http = () => request(api.app.getHttpServer());
  beforeEach(async () => {
    api = await startApi(undefined, kind);
    signer = Ed25519NoteSigner.fromPrivateKey(ledgerOrigin('ledger.test', (await api.store.identity()).logId), generateKeyPairSync('ed25519').privateKey);
    await api.store.append({ events: Array.from({ length: 12 }, (_, i) => courseStarted(i + 1, `L${i % 3}`)) });
  });
  afterEach(() => api.close());

  it('serves the latest signed checkpoint as text, 404 before the first; to readers only', async () => {
    await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(404);
    await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    await api.store.append({ events: [courseStarted(13, 'L0')] });
    const latest = await signHead(api.store, signer, '2021-01-10T12:05:00.000Z');
    const answer = await http().get('/checkpoint').set(bearer(api.keys.committee)).expect(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.text).toBe(latest.note);
    await http().get('/checkpoint').set(bearer(api.keys.ingest)).expect(403);
    await http().get('/checkpoint').expect(401);
  });

  it('gives a consistency proof that links two checkpoints; refuses bad sizes with 400 naming the field', async () => {
    const older = await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    await api.store.append({ events: Array.from({ length: 9 }, (_, i) => courseStarted(13 + i, 'L1')) });
    const newer = await signHead(api.store, signer, '2021-01-10T12:05:00.000Z');
    const answer = await http().get('/proofs/consistency?from=12&to=21').set(bearer(api.keys.auditor)).expect(200);
    expect(answer.body).toMatchObject({ from: 12, to: 21 });
    const proof = (answer.body as { proof: string[] }).proof.map((h) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(12, 21, older.checkpoint.rootHash, newer.checkpoint.rootHash, proof)).toBe(true);

    const refused: Array<[string, string, RegExp]> = [
      ['from=5&to=4', 'from', /from \(5\) is beyond to \(4\)/],
      ['from=5&to=22', 'to', /to \(22\) is beyond the head of the log \(21\)/],
      ['from=x&to=4', 'from', /from must be a whole number/],
      ['from=1&to=-4', 'to', /to must be a whole number/],
      ['from=1', 'to', /to/],
    ];
    for (const [query, field, message] of refused) {
      const bad = await http().get(`/proofs/consistency?${query}`).set(bearer(api.keys.auditor)).expect(400);
      expect({ query, field: (bad.body as { field?: string }).field }).toEqual({ query, field });
      expect((bad.body as { message: string }).message).toMatch(message);
    }
  });

  it('POST /audits checks trusted checkpoints given in the body: contained, still once the log grew, NOT under another key; an unreadable key is 400 naming it', async () => {
    const held = await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    const finished = async (jobId: string): Promise<{ state: string; result?: { ok: boolean; trusted?: Array<{ ok: boolean; source: string; problem?: string }> } }> => {
      for (;;) {
        const res = await http().get(`/jobs/${jobId}`).set(bearer(api.keys.auditor)).expect(200);
        const body = res.body as { state: string; result?: { ok: boolean; trusted?: Array<{ ok: boolean; source: string; problem?: string }> } };
        if (body.state !== 'running') return body;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const audit = async () => {
      const started = await http().post('/audits').set(bearer(api.keys.auditor)).send({ from: '2020-01-01', to: '2020-12-31', trusted: [held.note], logKey: signer.verifierKey() }).expect(202);
      return finished((started.body as { jobId: string }).jobId);
    };
    expect(await audit()).toMatchObject({ state: 'done', result: { trusted: [{ ok: true, source: 'trusted[0]' }] } });
    await api.store.append({ events: [courseStarted(13, 'L0')] });
    expect((await audit()).result?.trusted?.[0]?.ok).toBe(true);

    const bad = await http().post('/audits').set(bearer(api.keys.auditor)).send({ from: '2020-01-01', to: '2020-12-31', trusted: [held.note], logKey: 'not a key' }).expect(400);
    expect((bad.body as { field: string }).field).toBe('logKey');
    const other = Ed25519NoteSigner.fromPrivateKey(signer.name, generateKeyPairSync('ed25519').privateKey);
    const started = await http().post('/audits').set(bearer(api.keys.auditor)).send({ from: '2020-01-01', to: '2020-12-31', trusted: [held.note], logKey: other.verifierKey() }).expect(202);
    const refused = await finished((started.body as { jobId: string }).jobId);
    expect(refused.result).toMatchObject({ ok: false, trusted: [{ ok: false, problem: expect.stringMatching(/^trusted\[0\]: /) }] });
  });

  it('a witness cosigns through the HTTP API with an auditor key (ledger witness --source <URL>)', async () => {
    const first = await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'witness-'));
    try {
      writeFileSync(join(dir, 'ledger.vkey'), signer.verifierKey());
      const witness = () =>
        exitOf(
          spawnCli(['witness', '--source', url, '--state', join(dir, 'state'), '--key', join(dir, 'witness.pem'), '--log-key', join(dir, 'ledger.vkey')], 'sqlite:/nonexistent/never-opened.db', {
            LEDGER_API_KEY: api.keys.auditor,
          }),
        );
      expect(await witness()).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 12 .*first checkpoint held/) });
      await api.store.append({ events: [courseStarted(13, 'L0')] });
      await signHead(api.store, signer, '2021-01-10T12:05:00.000Z');
      expect(await witness()).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 13 .*extends the held size 12/) });
      expect(openCheckpoint(first.note, { logKey: signer.verifier() }).checkpoint.size).toBe(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

describe('GET /checkpoint and GET /proofs/consistency (SQLite)', () => checkpointRoutes('sqlite'));
describeWithPostgres('Checkpoint API tests on PostgreSQL')('GET /checkpoint and GET /proofs/consistency (PostgreSQL)', () => checkpointRoutes('postgres'));
