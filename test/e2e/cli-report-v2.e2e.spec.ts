import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportDocument } from '@ledger/projection-runtime';
import { commitmentOn, commitmentSet, missionScope2020Activity } from '../support/event-builders';
import { runCli } from '../support/run-cli';

const YEAR_2020 = ['--from', '2020-01-01', '--to', '2020-12-31'];

/** The 2021 report's layout from the compiled CLI, on a real SQLite ledger holding v1.1 events. */
describe('ledger report: the KPIS.md version 2 sections (json, table, csv)', () => {
  let dir: string;
  let ledger: string;
  const cli = (...args: string[]) => runCli(args, ledger);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-report-v2-'));
    ledger = `sqlite:${join(dir, 'ledger.db')}`;
    const events = [
      commitmentSet(1, 'funded', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 }),
      commitmentOn(2, 'awareness', 'funding', { fr: 'Sensibilisation +20 %', en: 'Awareness +20 %' }, { figure: 'awareness.recipients.refugee', kind: 'growth-at-least', value: 0.2 }),
      ...missionScope2020Activity(),
    ];
    const file = join(dir, 'v1-1.ndjson');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
    const imported = cli('import', file);
    if (imported.status !== 0) throw new Error(imported.stderr);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every version 2 figure in the json document, nulls as null', () => {
    const report = JSON.parse(cli('report', ...YEAR_2020).stdout) as ReportDocument;
    expect(report.figures).toMatchObject({
      'free-users.total': 1,
      'free-users.outside-france': 1,
      'free-users.refugee': null,
      'mentors.active': 1,
      'mentors.refugee': 1,
      'mentoring.disadvantaged-learners': 1,
      'outcomes.cohort.declared-180': 1,
      'outcomes.cohort.no-declaration-180': 1,
      'populations.employment-program.members': 3, // a, g and h: admitted to the employment program
      'commitments.funded.actual': 1,
      'commitments.funded.attained': 1,
      'commitments.awareness.actual': null,
      'commitments.awareness.attained': null,
    });
  });

  it('lays the table out as the 2021 report: commitments with their labels, nulls said in words, never 0', () => {
    const table = cli('report', ...YEAR_2020, '--format', 'table').stdout;
    expect(table).toMatch(/\nDATA COVERAGE /);
    expect(table).toMatch(/\nFREE USERS OF THE PLATFORM \(active, never admitted; n\/c: not collected\): 1 free users\n/);
    expect(table).toMatch(/\n {2}Refugees +n\/c/);
    expect(table).toMatch(/\nMENTORS /);
    expect(table).toContain('OUTCOMES BY ADMISSION COHORT (admissions of the period; an outcome no one declared is not a placement)');
    expect(table).toMatch(/no declaration within 180 days \(not a placement\) +1 /);
    expect(table).toMatch(/ {2}Awareness \+20 % \/ Sensibilisation \+20 % +20\.0% +0 +no baseline +- +no baseline\n/);
    expect(table).toMatch(/ {2}Commitment funded \/ Engagement funded +60\.0% +- +100\.0% +yes +available/);
    // The populations table comes first, the v2 sections beside it, then the levers.
    expect(table.indexOf('DISADVANTAGED POPULATIONS')).toBeLessThan(table.indexOf('FREE USERS'));
    expect(table).not.toContain('OTHER FIGURES');
  });

  it('lists the commitments in the csv after the catalogue, empty cells for null', () => {
    const csv = cli('report', ...YEAR_2020, '--format', 'csv').stdout.split('\n');
    expect(csv).toEqual(expect.arrayContaining(['commitments.awareness.actual,', 'commitments.funded.attained,1', 'free-users.refugee,', 'impact.free-users,0']));
  });

  it('shows a commitment only once it is recorded, and explains its actual by the measured figure', () => {
    const before = JSON.parse(cli('report', ...YEAR_2020, '--known-at', '2020-01-01T00:00:00Z').stdout) as ReportDocument;
    expect(Object.keys(before.figures).filter((id) => id.startsWith('commitments.'))).toEqual([]);
    const explained = cli('explain', 'commitments.funded.actual', ...YEAR_2020, '--format', 'table');
    expect(explained.stdout).toContain('commitment funded, at-least 0.6 on funding.2020-12.funded-share');
  });
});
