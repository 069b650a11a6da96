import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import { runCli } from '../support/run-cli';

/** Issue 9 from the command line: public-key, checkpoint, witness and audit --trusted, on a real SQLite ledger. */
describe('ledger checkpoint / public-key / witness / audit --trusted (the compiled CLI)', () => {
  let dir: string;
  let ledgerDb: string;
  let env: Record<string, string>;
  const at = (name: string) => join(dir, name);
  const cli = (...args: string[]) => runCli(args, ledgerDb, env);
  const witness = (...more: string[]) => cli('witness', '--source', ledgerDb, '--state', at('witness'), '--key', at('witness.pem'), '--name', 'auditor.example', ...more);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-checkpoints-'));
    ledgerDb = `sqlite:${at('ledger.db')}`;
    env = { READ_MODELS_DB: at('read-models.db'), LEDGER_SIGNING_KEY: at('keys/signing-key.pem'), LEDGER_NAME: 'ledger.example.org' };
    const events = [...syntheticEvents(300, 7)];
    writeFileSync(at('first.ndjson'), toNdjson(events.slice(0, 200)));
    writeFileSync(at('second.ndjson'), toNdjson(events.slice(200)));
    expect(cli('import', at('first.ndjson')).status).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a witness and an auditor catch a truncated log that verify alone accepts; exit codes 0, 1 and 2 as documented', () => {
    // Reading the key never makes it.
    const missing = cli('public-key');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no signing key at .*signing-key\.pem \(LEDGER_SIGNING_KEY\)/);
    expect(existsSync(at('keys/signing-key.pem'))).toBe(false);

    expect(cli('checkpoint', '--out', at('c200')).status).toBe(0);
    expect(statSync(at('keys/signing-key.pem')).mode & 0o777).toBe(0o600);
    const vkey = cli('public-key');
    expect(vkey.status).toBe(0);
    expect(vkey.stdout).toMatch(/^ledger\.example\.org\/impact-ledger\/[0-9a-f-]{36}\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/);
    writeFileSync(at('ledger.vkey'), vkey.stdout);
    expect(readFileSync(at('c200'), 'utf8')).toMatch(/^ledger\.example\.org\/impact-ledger\/[0-9a-f-]{36}\n200\n/);

    const noKey = witness();
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/--log-key/);
    expect(witness('--log-key', at('ledger.vkey'))).toMatchObject({ status: 0, stdout: expect.stringMatching(/cosigned .* size 200 .*first checkpoint held/) });

    expect(cli('import', at('second.ndjson')).status).toBe(0);
    expect(cli('checkpoint').status).toBe(0);
    expect(witness()).toMatchObject({ status: 0, stdout: expect.stringMatching(/size 300 .*extends the held size 200/) });
    const clean = cli('audit', '--from', '2020-01-01', '--to', '2020-12-31', '--trusted', at('witness'), '--trusted', at('c200'), '--out', at('clean'));
    expect(clean.stdout).toMatch(/CLEAN[\s\S]*trusted checkpoints: 3 of 3 contained/);
    expect(clean.status).toBe(0);
    const findings = JSON.parse(readFileSync(at('clean.json'), 'utf8')) as { trusted: Array<{ cosignedBy: string[] }> };
    expect(findings.trusted[0]?.cosignedBy).toEqual([expect.stringMatching(/^auditor\.example\+[0-9a-f]{8} at \d+$/)]);

    // The operator deletes the tail straight in the file, then signs what is left.
    const db = new Database(at('ledger.db'));
    db.prepare('DELETE FROM events WHERE position > 250').run();
    db.close();
    expect(cli('verify').status).toBe(0);
    expect(cli('checkpoint').status).toBe(0);
    const refused = witness();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/witness REFUSES \(rollback\): .*held: .* size 300 root \S+; offered: .* size 250 root/);
    const audit = cli('audit', '--from', '2020-01-01', '--to', '2020-12-31', '--trusted', at('witness'), '--out', at('dirty'));
    expect(audit.status).toBe(1);
    expect(audit.stdout).toMatch(/NOT CLEAN[\s\S]*1 of 2 contained.*00000000000000000300\.checkpoint \(size 300, .*the log has 250 events/);
    expect(readFileSync(at('dirty.md'), 'utf8')).toMatch(/## Trusted checkpoints[\s\S]*\*\*NO\*\*/);

    const notThere = cli('audit', '--from', '2020-01-01', '--to', '2020-12-31', '--trusted', at('nothing'));
    expect(notThere.status).toBe(2);
    expect(notThere.stderr).toMatch(/--trusted .*nothing: no such file or folder/);
  });
});
