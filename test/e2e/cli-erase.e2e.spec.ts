import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { admitted, courseStarted, surveyAnswered } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL } from '../support/postgres';
import { runCli } from '../support/run-cli';

const ERASED = 'zqx-cli-learner';
const VERIFY_PROOF = join(__dirname, '..', '..', 'tools', 'verify-proof.js');

function cliErasure(kind: 'sqlite' | 'postgres'): void {
  let dir: string;
  let ledgerDb: string;
  let schema: string;
  const env = () => ({ READ_MODELS_DB: join(dir, 'read-models.db'), LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem'), LEDGER_NAME: 'ledger.example.org' });
  const witness = () => cli('witness', '--source', ledgerDb, '--state', join(dir, 'witness'), '--key', join(dir, 'witness.pem'), '--name', 'auditor.example', '--log-key', join(dir, 'ledger.vkey'));
  const cli = (...args: string[]) => runCli(args, ledgerDb, env());

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-erase-'));
    schema = freshSchema();
    ledgerDb = kind === 'sqlite' ? `sqlite:${join(dir, 'ledger.db')}` : `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const file = join(dir, 'events.ndjson');
    const events = [surveyAnswered(1, ERASED), admitted(2, ERASED), courseStarted(3, ERASED), surveyAnswered(4, 'kept'), courseStarted(5, 'kept')];
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    expect(cli('import', file).status).toBe(0);
    expect(cli('publish', '--from', '2020-01-01', '--to', '2020-12-31', '--id', 'before-erasure').status).toBe(0);
    // An auditor holds a signed checkpoint of the log before the erasure, and a witness has cosigned it.
    expect(cli('checkpoint', '--out', join(dir, 'held.checkpoint')).status).toBe(0);
    const vkey = cli('public-key');
    expect(vkey.status).toBe(0);
    writeFileSync(join(dir, 'ledger.vkey'), vkey.stdout);
    expect(witness().status).toBe(0);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchema(schema);
  });

  it('refuses bad input with a clear message: no reason (2), no learner (2), an unknown learner (1); nothing changed', () => {
    const noReason = cli('erase', '--learner', ERASED);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toMatch(/--reason <text> is required/);
    expect(cli('erase', '--reason', 'art. 17').status).toBe(2);
    const unknown = cli('erase', '--learner', 'nobody-here', '--reason', 'art. 17');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/nothing changed: the log holds no event of learner nobody-here/);
  });

  it('erases, says what it did and did not reach; a second erasure says "already erased" and changes nothing', () => {
    const erased = cli('erase', '--learner', ERASED, '--reason', 'GDPR art. 17 request');
    expect(erased.stderr).toBe('');
    expect(erased.status).toBe(0);
    expect(erased.stdout).toMatch(new RegExp(`erased learner ${ERASED}: 3 events lost their personal data; LearnerErased at position 7`));
    expect(erased.stdout).toMatch(/read models rebuilt without the learner: /);
    if (kind === 'postgres') expect(erased.stdout).toMatch(/VACUUM FULL/);
    const again = cli('erase', '--learner', ERASED, '--reason', 'again');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/is already erased \(LearnerErased at position 7, .*\): nothing changed/);
  });

  it('verifies; the audit of the publication is clean and explains the restatement as erased learners', () => {
    const verify = cli('verify');
    expect(verify.status).toBe(0);
    const audit = cli('audit', '--from', '2020-01-01', '--to', '2020-12-31', '--published', 'before-erasure', '--out', join(dir, 'audit'));
    expect(audit.stdout).toMatch(/CLEAN/);
    expect(audit.stdout).toMatch(/erased: 1 learners since publication/);
    expect(audit.status).toBe(0);
    const markdown = readFileSync(join(dir, 'audit.md'), 'utf8');
    expect(markdown).toContain('erased: 1 learners');
    expect(markdown).not.toContain(ERASED);
  });

  it('keeps every checkpoint held before the erasure valid: the audit --trusted is clean, a witness cosigns the next one', () => {
    const audit = cli('audit', '--from', '2020-01-01', '--to', '2020-12-31', '--trusted', join(dir, 'held.checkpoint'), '--trusted', join(dir, 'witness'), '--out', join(dir, 'trusted-audit'));
    expect(audit.stdout).toMatch(/CLEAN[\s\S]*trusted checkpoints: 2 of 2 contained/);
    expect(audit.status).toBe(0);
    // The log grew by LearnerErased only: the new head extends the held one.
    expect(cli('checkpoint').status).toBe(0);
    expect(witness()).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 7 .*extends the held size 6/) });
  });

  it('proves the erased event by position against the publication; the verifier says the payload was not checked', () => {
    const out = join(dir, 'erased-proof.json');
    const proof = cli('proof', '--position', '2', '--against', 'before-erasure', '--out', out);
    expect(proof.status).toBe(0);
    expect(proof.stdout).toMatch(/position 2, payload erased/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ payload: 'erased', leaf: { position: 2, type: 'LearnerAdmitted' } });
    const verified = spawnSync(process.execPath, [VERIFY_PROOF, out], { encoding: 'utf8' });
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/not checked: the payload/);
    expect(verified.stdout).toMatch(/VERIFIED \(payload erased/);
    expect(cli('proof', '--position', '0').status).toBe(2);
    expect(cli('proof', 'x', '--position', '2').status).toBe(2);
    expect(cli('proof', '--position', '99').status).toBe(1);
  });
}

describe('ledger erase (the compiled CLI on SQLite)', () => cliErasure('sqlite'));
describeWithPostgres('PostgreSQL CLI erasure')('ledger erase (the compiled CLI on PostgreSQL)', () => cliErasure('postgres'));
