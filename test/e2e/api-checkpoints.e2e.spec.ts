import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import request from 'supertest';
import { PublicKeyQuery, SignCheckpointCommand } from '@ledger/application';
import { ledgerOrigin, signHead } from '@ledger/audit';
import { cosignCheckpoint, Ed25519Cosigner, Ed25519NoteSigner, openCheckpoint, openNote, parseNote, noteVerifier, signatureLabel, signCheckpoint, verifyConsistency } from '@ledger/integrity';
import type { ApiUnderTest, StoreKind } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { courseStarted, uuidOf } from '../support/event-builders';

interface Verdict {
  readonly ok: boolean;
  readonly checked: string[];
  readonly failure?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require('../../tools/verify-proof.js') as { verifyProofBundle(bundle: unknown, options?: { key?: string; witnessKeys?: string[] }): Verdict };
import { describeWithPostgres } from '../support/postgres';
import { exitOf, spawnCli } from '../support/run-cli';

/** Witnesses A and B are accepted by the ledger (LEDGER_WITNESS_KEYS); C is not. */
const witnessA = Ed25519Cosigner.fromPrivateKey('witness-a', generateKeyPairSync('ed25519').privateKey);
const witnessB = Ed25519Cosigner.fromPrivateKey('witness-b', generateKeyPairSync('ed25519').privateKey);
const witnessC = Ed25519Cosigner.fromPrivateKey('witness-c', generateKeyPairSync('ed25519').privateKey);

function checkpointRoutes(kind: StoreKind): void {
  let api: ApiUnderTest;
  let signer: Ed25519NoteSigner;
  const http = () => request(api.app.getHttpServer());
  beforeEach(async () => {
    api = await startApi(undefined, kind, { LEDGER_WITNESS_KEYS: `${witnessA.verifierKey()}, ${witnessB.verifierKey()}` });
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

  it('POST /checkpoint/cosignatures keeps accepted witnesses\' cosignatures, served with GET /checkpoint; a repeat adds nothing; auditors only', async () => {
    const signed = await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    const byA = cosignCheckpoint(signed.note, signer.verifier(), witnessA, 1_700_000_000);
    const first = await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note: byA }).expect(200);
    expect(first.body).toEqual({ treeSize: 12, added: 1, witnesses: [signatureLabel(witnessA)], note: byA });
    expect((await http().get('/checkpoint').set(bearer(api.keys.committee)).expect(200)).text).toBe(byA);
    const again = await http().post('/checkpoint/cosignatures').set(bearer(api.keys.admin)).send({ note: byA }).expect(200);
    expect((again.body as { added: number }).added).toBe(0);
    expect(await api.store.cosignatures(12)).toHaveLength(1);

    // B cosigns what it fetched (A's line included); a later cosignature by A replaces A's earlier one in what is served.
    const byB = cosignCheckpoint(byA, signer.verifier(), witnessB, 1_700_000_100);
    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note: byB }).expect(200);
    const laterA = cosignCheckpoint(signed.note, signer.verifier(), witnessA, 1_700_000_200);
    const third = await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note: laterA }).expect(200);
    expect((third.body as { witnesses: string[] }).witnesses.sort()).toEqual([signatureLabel(witnessA), signatureLabel(witnessB)].sort());
    const served = (await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(200)).text;
    const opened = openNote(served, [signer.verifier(), witnessA.verifier(), witnessB.verifier()]);
    expect(opened.verified.map((s) => s.name)).toEqual([signer.name, 'witness-a', 'witness-b']);
    expect(parseNote(served).signatures.find((s) => s.name === 'witness-a')?.base64).toBe(parseNote(laterA).signatures[1]?.base64);
    expect(await api.store.cosignatures(12)).toHaveLength(3);

    // A newer checkpoint is served without cosignatures until witnesses send theirs.
    await api.store.append({ events: [courseStarted(13, 'L0')] });
    const newer = await signHead(api.store, signer, '2021-01-10T12:05:00.000Z');
    expect((await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(200)).text).toBe(newer.note);
    const list = (await http().get('/checkpoints').set(bearer(api.keys.committee)).expect(200)).body as Array<{ treeSize: number; note: string }>;
    expect(list.map((c) => [c.treeSize, c.note])).toEqual([
      [12, served],
      [13, newer.note],
    ]);
    expect(((await http().get('/checkpoints?limit=1').set(bearer(api.keys.auditor)).expect(200)).body as unknown[]).length).toBe(1);
    expect(((await http().get('/checkpoints?limit=0').set(bearer(api.keys.auditor)).expect(400)).body as { field: string }).field).toBe('limit');
    await http().get('/checkpoints').set(bearer(api.keys.ingest)).expect(403);

    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.committee)).send({ note: byA }).expect(403);
    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.ingest)).send({ note: byA }).expect(403);
    await http().post('/checkpoint/cosignatures').send({ note: byA }).expect(401);
  });

  it('POST /checkpoint/cosignatures refuses with 400 naming the note: a checkpoint never signed, a bad signature, an unknown witness, a malformed or uncosigned note; nothing is kept', async () => {
    const signed = await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    const byA = cosignCheckpoint(signed.note, signer.verifier(), witnessA, 1_700_000_000);
    const lines = byA.split('\n');
    /** The line with one bit of its signature flipped (key ID kept). */
    const flipped = (line: string): string => {
      const [dash, name, base64] = line.split(' ');
      const bytes = Buffer.from(base64 ?? '', 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      return `${dash} ${name} ${bytes.toString('base64')}`;
    };
    const witnessLine = lines[lines.length - 2] ?? '';
    const badSignature = byA.replace(witnessLine, flipped(witnessLine));
    // A checkpoint of the same size with another root, validly signed by the ledger key, which the ledger never kept.
    const forged = signed.note.replace(signed.checkpoint.rootHash.toString('base64'), Buffer.alloc(32, 7).toString('base64'));
    const neverSigned = cosignCheckpoint(signCheckpoint({ ...signed.checkpoint, rootHash: Buffer.alloc(32, 7) }, signer), signer.verifier(), witnessA, 1_700_000_000);
    const ledgerLine = lines[lines.length - 3] ?? '';
    const notTheLedgers = byA.replace(ledgerLine, flipped(ledgerLine));
    const refused: Array<[string, string, RegExp]> = [
      ['never signed', neverSigned, /the ledger never signed this checkpoint \(size 12/],
      ['bad signature', badSignature, /line 6: the cosignature by witness-a\+[0-9a-f]{8} does not verify/],
      ['unknown witness', cosignCheckpoint(signed.note, signer.verifier(), witnessC, 1_700_000_000), /line 6: a signature by witness-c\+[0-9a-f]{8}, which is not a witness key this ledger accepts/],
      ['malformed', 'not a checkpoint', /malformed/],
      ['forged root, not a note', forged, /never signed|malformed|line/],
      ['no cosignature', signed.note, /carries no cosignature/],
      ['ledger line changed', notTheLedgers, /line 5: a signature by the ledger's key .* that the ledger did not make/],
    ];
    for (const [what, note, message] of refused) {
      const bad = await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note }).expect(400);
      const body = bad.body as { field?: string; message: unknown };
      expect({ what, field: body.field, message: JSON.stringify(body.message) }).toEqual({ what, field: 'note', message: expect.stringMatching(message) });
    }
    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({}).expect(400);
    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note: 12 }).expect(400);
    expect(await api.store.cosignatures(12)).toEqual([]);
    expect((await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(200)).text).toBe(signed.note);
  });

  it('a proof bundle of a tree the witnesses cosigned carries their cosignatures: tools/verify-proof.js --witness-key checks them', async () => {
    const signed = await api.app.get(CommandBus).execute(new SignCheckpointCommand('2021-01-10T12:00:00.000Z'));
    const logKey = (await api.app.get(QueryBus).execute(new PublicKeyQuery())).vkey;
    const note = cosignCheckpoint(signed.note, noteVerifier(logKey), witnessA, 1_700_000_000);
    await http().post('/checkpoint/cosignatures').set(bearer(api.keys.auditor)).send({ note }).expect(200);
    const bundle = (await http().get(`/proofs/${uuidOf(3)}`).set(bearer(api.keys.auditor)).expect(200)).body as { checkpoint: string };
    expect(bundle.checkpoint).toBe(note);
    expect(verifyProofBundle(bundle, { key: logKey, witnessKeys: [witnessA.verifierKey()] })).toMatchObject({ ok: true, checked: expect.arrayContaining([expect.stringMatching(/^the checkpoint is cosigned by the witness witness-a\+/)]) });
    expect(verifyProofBundle(bundle, { key: logKey, witnessKeys: [witnessB.verifierKey()] })).toMatchObject({ ok: false, failure: expect.stringMatching(/no cosignature by the witness witness-b/) });
    // Once the log grew past the checkpoint, a bundle is of another tree: no cosignature yet.
    await api.store.append({ events: [courseStarted(13, 'L0')] });
    const later = (await http().get(`/proofs/${uuidOf(3)}`).set(bearer(api.keys.auditor)).expect(200)).body as { checkpoint: string };
    expect(later.checkpoint.split('\n— ')).toHaveLength(2);
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

  it('POST /audits carries the audit metadata as `ledger audit` does (one use case): time, version and commit, the exact request, the key, the JSON digest in the Markdown', async () => {
    const signed = await api.app.get(CommandBus).execute(new SignCheckpointCommand('2021-01-10T12:00:00.000Z'));
    const logKey = (await api.app.get(QueryBus).execute(new PublicKeyQuery())).vkey;
    api.clock.set('2021-02-01T08:30:00.000Z');
    const sent = { from: '2020-01-01', to: '2020-12-31', trusted: [signed.note], logKey };
    const started = await http().post('/audits').set(bearer(api.keys.auditor)).send(sent).expect(202);
    const jobId = (started.body as { jobId: string }).jobId;
    let job: { state: string; result?: Record<string, unknown> };
    for (;;) {
      job = (await http().get(`/jobs/${jobId}`).set(bearer(api.keys.auditor)).expect(200)).body as typeof job;
      if (job.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const root = join(__dirname, '..', '..');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const auditor = await api.keyStore.list();
    const by = auditor.find((k) => k.role === 'auditor');
    expect(job.state).toBe('done');
    expect(Object.keys(job.result ?? {})[0]).toBe('metadata');
    expect(job.result?.['metadata']).toEqual({
      auditedAt: '2021-02-01T08:30:00.000Z',
      ledger: { version, commit },
      request: { method: 'POST', path: '/audits', body: sent, by: { keyId: by?.id, name: 'auditor tester', role: 'auditor' } },
      publicKey: logKey,
    });
    expect(job.result?.['trusted']).toEqual([expect.objectContaining({ ok: true, source: 'trusted[0]' })]);
    const json = await http().get(`/audits/${jobId}/findings.json`).set(bearer(api.keys.auditor)).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.text)).toEqual(job.result);
    const markdown = (await http().get(`/audits/${jobId}/findings.md`).set(bearer(api.keys.admin)).expect(200)).text;
    expect(markdown).toContain(`- JSON findings: \`findings.json\`, SHA-256 \`${createHash('sha256').update(json.text, 'utf8').digest('hex')}\``);
    expect(markdown).toContain(`- Audited at: 2021-02-01T08:30:00.000Z`);
    expect(markdown).toContain(`- Ledger: version ${version}, commit \`${commit}\``);
    expect(markdown).toContain(`- Request: \`POST /audits\` with the body \`${JSON.stringify(sent)}\`, by the API key ${by?.id} (auditor tester, auditor)`);
    expect(markdown).toContain(`- Ledger key: \`${logKey}\``);
    expect(markdown).not.toContain('- Command:');
    await http().get(`/audits/${jobId}/findings.md`).set(bearer(api.keys.committee)).expect(403);
    await http().get(`/audits/not-a-job/findings.md`).set(bearer(api.keys.auditor)).expect(404);
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

  it('ledger witness --submit sends the cosignature back: the API serves it with the checkpoint; a witness it does not accept, or a database source, exit 2', async () => {
    await signHead(api.store, signer, '2021-01-10T12:00:00.000Z');
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'witness-'));
    try {
      writeFileSync(join(dir, 'ledger.vkey'), signer.verifierKey());
      writeFileSync(join(dir, 'a.pem'), witnessA.toPem());
      writeFileSync(join(dir, 'c.pem'), witnessC.toPem());
      const witness = (name: string, source = url) =>
        exitOf(
          spawnCli(['witness', '--source', source, '--state', join(dir, name), '--key', join(dir, `${name.slice(-1)}.pem`), '--name', name, '--log-key', join(dir, 'ledger.vkey'), '--submit'], 'sqlite:/nonexistent/never-opened.db', {
            LEDGER_API_KEY: api.keys.auditor,
          }),
        );
      expect(await witness('witness-a')).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 12 .*first checkpoint held[^]*sent to .*: kept by the ledger; it holds cosignatures of this checkpoint by witness-a\+[0-9a-f]{8}/) });
      const served = (await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(200)).text;
      expect(openNote(served, [signer.verifier(), witnessA.verifier()]).verified.map((s) => s.name)).toEqual([signer.name, 'witness-a']);

      await api.store.append({ events: [courseStarted(13, 'L0')] });
      await signHead(api.store, signer, '2021-01-10T12:05:00.000Z');
      expect(await witness('witness-a')).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 13 .*extends the held size 12[^]*kept by the ledger/) });
      expect(openCheckpoint((await http().get('/checkpoint').set(bearer(api.keys.auditor)).expect(200)).text, { logKey: signer.verifier(), otherKeys: [witnessA.verifier()] }).checkpoint.size).toBe(13);

      const refused = await witness('witness-c');
      expect(refused).toMatchObject({ status: 2, stderr: expect.stringMatching(/refused the cosignature \(400\): line 7: a signature by witness-c\+[0-9a-f]{8}, which is not a witness key this ledger accepts/) });
      expect(await api.store.cosignatures(13)).toHaveLength(1);
      const database = await witness('witness-a', 'sqlite:/nonexistent/never-opened.db');
      expect(database).toMatchObject({ status: 2, stderr: expect.stringMatching(/--submit sends the cosignature to the ledger's API: --source must be its URL/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

describe('GET /checkpoint and GET /proofs/consistency (SQLite)', () => checkpointRoutes('sqlite'));
describeWithPostgres('Checkpoint API tests on PostgreSQL')('GET /checkpoint and GET /proofs/consistency (PostgreSQL)', () => checkpointRoutes('postgres'));
