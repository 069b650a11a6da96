import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { demoCorrections, demoTargets, PUBLICATION_KNOWN_AT } from '@ledger/demo';
import { noteVerifier, openCheckpoint } from '@ledger/integrity';
import type { FigureProvenance } from '@ledger/projection-runtime';
import type { ReportDocument } from '@ledger/projection-runtime';
import { runCli } from '../support/run-cli';

const SCALE = 0.005;
const YEAR_2020 = ['--from', '2020-01-01', '--to', '2020-12-31'];

/**
 * The main job and the reading commands, end to end through the compiled CLI on a real
 * SQLite ledger loaded by `ledger demo` with the demo years (a small scale).
 */
describe('ledger demo, report and explain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-report-'));
  const ledger = `sqlite:${join(dir, 'ledger.db')}`;
  const env = { READ_MODELS_DB: join(dir, 'read-models.db'), LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem') };
  const cli = (...args: string[]) => runCli(args, ledger, env);
  let demo: ReturnType<typeof runCli>;

  beforeAll(() => {
    demo = cli('demo', '--scale', String(SCALE));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the empty ledger and reproduces every target figure of 2020 and 2019 as known at publication', () => {
    expect(demo.stderr).toContain('loading the demo years');
    expect(demo.status).toBe(0);
    const reproduced = [...demo.stdout.matchAll(/(\d+) of (\d+) published figures reproduced/g)];
    expect(reproduced).toHaveLength(2);
    for (const [, ok, all] of reproduced) expect(ok).toBe(all);
    expect(demo.stdout).toContain('Net total (each learner once)');
  });

  it('shows what the corrections recorded after publication restate, and only that', () => {
    const restatement = demoTargets(SCALE).restatement2020;
    const impact = /impact\.positive-progressions: (\d+) -> (\d+)/.exec(demo.stdout);
    if (restatement['impact.positive-progressions'] === 0) expect(impact).toBeNull();
    else expect(Number(impact?.[2]) - Number(impact?.[1])).toBe(restatement['impact.positive-progressions']);
    const courses = /key\.courses-started: (\d+) -> (\d+)/.exec(demo.stdout);
    expect(Number(courses?.[2]) - Number(courses?.[1])).toBe(restatement['key.courses-started']);
  });

  it('prints exactly the KPIS.md document as json, and reports on a ledger that already holds events', () => {
    const run = cli('report', ...YEAR_2020, '--known-at', '2021-03-15T01:00:00+01:00', '--format', 'json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as ReportDocument;
    expect(Object.keys(report)).toEqual(['period', 'knownAt', 'logPosition', 'figures']);
    expect(report.period).toEqual({ from: '2020-01-01', to: '2020-12-31' });
    expect(report.knownAt).toBe(PUBLICATION_KNOWN_AT); // the same instant, in UTC
    const published = demoTargets(SCALE).periods.find((p) => p.from === '2020-01-01');
    for (const [id, value] of Object.entries(published?.counts ?? {})) expect([id, report.figures[id]]).toEqual([id, value]);
    expect(report.figures['funding.2020-12.funded-share']).toBeGreaterThan(0);
    expect(Object.keys(report.figures).filter((id) => /^key\.active-learners\.\d{4}-\d{2}$/.test(id))).toHaveLength(12);

    const again = cli('demo', '--scale', String(SCALE));
    expect(again.stderr).toContain('already holds');
    expect(again.status).toBe(0);
  });

  it('prints csv and a table with the same figures', () => {
    const json = JSON.parse(cli('report', ...YEAR_2020, '--format', 'json').stdout) as ReportDocument;
    const csv = cli('report', ...YEAR_2020, '--format', 'csv');
    expect(csv.status).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header).toBe('figure,value');
    expect(Object.fromEntries(rows.map((r) => r.split(',')))).toEqual(
      Object.fromEntries(Object.entries(json.figures).map(([id, v]) => [id, v === null ? '' : String(v)])),
    );
    const table = cli('report', ...YEAR_2020, '--format', 'table');
    expect(table.stdout).toMatch(/Employment program\s+[\d,]+\s+[\d,]+/);
  });

  it('explains a figure by its events, and a retraction recorded after publication changes exactly that event', () => {
    const explain = (knownAt: string) => {
      const run = cli('explain', 'impact.positive-progressions', ...YEAR_2020, '--known-at', knownAt, '--format', 'json');
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout) as FigureProvenance;
    };
    const atPublication = explain(PUBLICATION_KNOWN_AT);
    expect(new Set(atPublication.events.map((e) => e.learnerId)).size).toBe(atPublication.value);
    expect(new Set(atPublication.events.map((e) => e.type))).toEqual(new Set(['ProfessionalOutcomeReported', 'ApprenticeshipContractSigned']));

    const now = explain('2026-01-01T00:00:00Z');
    const ids = (p: FigureProvenance) => new Set(p.events.map((e) => e.eventId));
    const gone = [...ids(atPublication)].filter((id) => !ids(now).has(id));
    const added = now.events.filter((e) => !ids(atPublication).has(e.eventId));
    const corrections = demoCorrections({ seed: 1, scale: SCALE });
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((id) => corrections.retractedAfterPublication.includes(id))).toBe(true);
    expect(added.every((e) => corrections.recordedAfterPublication.includes(e.eventId))).toBe(true);
  });

  it('publishes the 2020 report sealed in the log, and audits it clean as known at its publication, restatements explained', () => {
    const published = cli('publish', ...YEAR_2020, '--known-at', PUBLICATION_KNOWN_AT, '--id', 'report-2020', '--out', join(dir, 'published.json'));
    expect(published.status).toBe(0);
    expect(published.stdout).toMatch(/sealed: the log's first \d+ events have Merkle root [0-9a-f]{64}/);
    // --out: the report with its seal and the signed checkpoint of the sealed tree, the key that signed it.
    const file = JSON.parse(readFileSync(join(dir, 'published.json'), 'utf8')) as { format: string; seal: { treeSize: number; merkleRoot: string }; checkpoint: string; publicKey: string; report: { knownAt: string } };
    expect(file).toMatchObject({ format: 'impact-ledger-publication/1', publicationId: 'report-2020', report: { knownAt: PUBLICATION_KNOWN_AT } });
    expect(file.publicKey).toBe(cli('public-key').stdout.trim());
    const opened = openCheckpoint(file.checkpoint, { logKey: noteVerifier(file.publicKey) }).checkpoint;
    expect([opened.size, opened.rootHash.toString('hex'), opened.extensions[0]]).toEqual([file.seal.treeSize, file.seal.merkleRoot, 'publication report-2020']);
    expect(published.stdout).toContain(file.checkpoint.trimEnd());
    expect(cli('publish', ...YEAR_2020, '--id', 'report-2020').status).toBe(2); // a publication id is used once
    // It names a stream: one longer than 200 characters (or with a NUL, a space...) is refused, nothing stored.
    const tooLong = cli('publish', ...YEAR_2020, '--id', 'r'.repeat(201));
    expect([tooLong.status, tooLong.stderr.trim()]).toEqual([2, '--id: publicationId must be 1 to 200 letters, digits and . _ : + -, starting with a letter or digit']);

    const prefix = join(dir, 'audit-2020');
    const audit = cli('audit', ...YEAR_2020, '--known-at', PUBLICATION_KNOWN_AT, '--published', 'report-2020', '--out', prefix);
    expect(audit.stdout).toContain('CLEAN');
    expect(audit.status).toBe(0);
    const findings = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { ok: boolean; seals: unknown[]; published: { figures: Array<{ reproduced: boolean; restatement?: { explained: boolean } }> } };
    expect(findings.ok).toBe(true);
    expect(findings.seals).toHaveLength(1);
    expect(findings.published.figures.every((f) => f.reproduced)).toBe(true);
    expect(findings.published.figures.filter((f) => f.restatement).length).toBeGreaterThan(0);
    const markdown = readFileSync(`${prefix}.md`, 'utf8');
    expect(markdown).toContain('## 5. The published report');
    // Who ran it, with what, how (issue 9 item 5): the build, the exact command line, the key; the JSON's digest in the Markdown.
    const json = readFileSync(`${prefix}.json`, 'utf8');
    const { metadata } = JSON.parse(json) as { metadata: { auditedAt: string; ledger: { version: string; commit: string | null }; commandLine: string[]; publicKey: string | null } };
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(metadata).toEqual({
      auditedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ledger: { version: (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version, commit: head.status === 0 ? head.stdout.trim() : null },
      commandLine: ['audit', ...YEAR_2020, '--known-at', PUBLICATION_KNOWN_AT, '--published', 'report-2020', '--out', prefix],
      publicKey: cli('public-key').stdout.trim(),
    });
    expect(markdown).toContain(`- JSON findings: \`audit-2020.json\`, SHA-256 \`${createHash('sha256').update(json).digest('hex')}\``);
    expect(markdown).toContain(`- Command: \`ledger audit ${YEAR_2020.join(' ')} --known-at ${PUBLICATION_KNOWN_AT} --published report-2020 --out ${prefix}\``);
    expect(markdown).toContain(`- Ledger key: \`${metadata.publicKey ?? ''}\``);
    // Every seal with its root; every retraction since with its reason.
    expect(markdown).toMatch(/\| report-2020 \| \d+ \| \d+ \| `[0-9a-f]{64}` \| yes \| yes \|/);
    expect(markdown).toMatch(/- retracted since: .*, by EventRetracted .*, reason: "/);
    // The file `publish --out` wrote serves as --published too (the report inside it).
    // Its files go to the test's folder, never the checkout (the default --out is the working directory).
    expect(cli('audit', ...YEAR_2020, '--known-at', PUBLICATION_KNOWN_AT, '--published', join(dir, 'published.json'), '--out', join(dir, 'audit-of-file')).status).toBe(0);
  });

  it('proves one counted declaration against the sealed publication, checked by the standalone verifier alone', () => {
    const explained = JSON.parse(cli('explain', 'impact.positive-progressions', ...YEAR_2020, '--format', 'json').stdout) as FigureProvenance;
    const eventId = explained.events[0]?.eventId ?? '';
    const bundle = join(dir, 'proof.json');
    const proof = cli('proof', eventId, '--against', 'report-2020', '--out', bundle);
    expect(proof.stderr).toBe('');
    expect(proof.status).toBe(0);
    const verified = spawnSync(process.execPath, [join(__dirname, '..', '..', 'tools', 'verify-proof.js'), bundle], { encoding: 'utf8' });
    expect(verified.status).toBe(0);
    // With the key published with the report: the signer is checked, and the checkpoint is the publication's.
    const published = JSON.parse(readFileSync(join(dir, 'published.json'), 'utf8')) as { checkpoint: string; publicKey: string };
    const signed = spawnSync(process.execPath, [join(__dirname, '..', '..', 'tools', 'verify-proof.js'), '--key', published.publicKey, bundle], { encoding: 'utf8' });
    expect([signed.status, signed.stderr]).toEqual([0, '']);
    expect((JSON.parse(readFileSync(bundle, 'utf8')) as { checkpoint: string }).checkpoint).toBe(published.checkpoint);
    expect(cli('proof', eventId, '--against', 'no-such-publication').status).toBe(1);
  });

  it.each([
    [['report', '--from', '2020-13-01', '--to', '2020-12-31'], /from must be a calendar day/],
    [['report', '--from', '2020-12-31', '--to', '2020-01-01'], /from \(2020-12-31\) is after to/],
    [['report', ...YEAR_2020, '--known-at', '2020-06-01'], /known-at must be an RFC 3339 timestamp with an offset/],
    [['report', ...YEAR_2020, '--known-at', '2999-01-01T00:00:00Z'], /is in the future/],
    [['report', ...YEAR_2020, '--format', 'xml'], /--format must be one of json, table, csv/],
    [['explain', 'impact.everything', ...YEAR_2020], /unknown figure id "impact.everything"/],
    [['audit', ...YEAR_2020, '--published', '/nonexistent/report.json'], /neither a file nor a publication sealed in the log/],
  ])('refuses %j with exit 2 and says what is wrong', (args, message) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
