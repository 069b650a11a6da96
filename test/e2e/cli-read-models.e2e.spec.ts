import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import type { ReportDocument } from '@ledger/projection-runtime';
import { runCli } from '../support/run-cli';
import { PROJECTIONS } from '@ledger/projections';

const MARCH_2020 = ['--from', '2020-03-01', '--to', '2020-03-31'];

/**
 * Read models bound to their log, through the compiled CLI: one READ_MODELS_DB used with
 * two ledgers, a ledger cut or rewritten below the read models' checkpoint, a damaged
 * read-models file. Each time the report must be the one a clean rebuild gives.
 */
describe('ledger report on read models of another log, of a rewritten log, or in a damaged file', () => {
  let dir: string;
  let readModels: string;
  const ledger = (name: string) => `sqlite:${join(dir, `${name}.db`)}`;

  function importInto(name: string, count: number, seed: number): void {
    const file = join(dir, `${name}-${seed}.ndjson`);
    writeFileSync(file, toNdjson(syntheticEvents(count, seed)));
    const run = runCli(['import', file], ledger(name));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }

  /** `ledger report` as json: its figures and log position (knownAt is "now", which moves). */
  function report(name: string, readModelsDb: string): { figures: ReportDocument['figures']; logPosition: number; stderr: string } {
    const run = runCli(['report', ...MARCH_2020], ledger(name), { READ_MODELS_DB: readModelsDb });
    expect(run.status).toBe(0);
    const { figures, logPosition } = JSON.parse(run.stdout) as ReportDocument;
    return { figures, logPosition, stderr: run.stderr };
  }

  /** What a clean rebuild answers: the same report on a read-models file of its own. */
  function clean(name: string): Omit<ReturnType<typeof report>, 'stderr'> {
    const { figures, logPosition } = report(name, join(mkdtempSync(join(dir, 'clean-')), 'read-models.db'));
    return { figures, logPosition };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-read-models-'));
    readModels = join(dir, 'read-models.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers ledger B as a clean rebuild of B does after READ_MODELS_DB served ledger A, and says why it rebuilt', () => {
    importInto('a', 700, 1);
    importInto('b', 500, 2);
    const a = report('a', readModels);
    expect(a.stderr).toBe('');
    const b = report('b', readModels);
    const expected = clean('b');
    expect(expected.figures).not.toEqual(a.figures); // the two ledgers do answer differently
    expect({ figures: b.figures, logPosition: b.logPosition }).toEqual(expected);
    // Every read model the ledger keeps, by name.
    const names = PROJECTIONS.map((p) => p.name).join(', ');
    expect(b.stderr).toMatch(new RegExp(`^notice: read models \\(${PROJECTIONS.length}: ${names}\\) were built from another log \\(log id [0-9a-f-]{36}; this ledger's is [0-9a-f-]{36}\\); discarded, and rebuilt from position 0\\n$`));
    // Back to A: rebuilt again, for A this time.
    const again = report('a', readModels);
    expect({ figures: again.figures, logPosition: again.logPosition }).toEqual({ figures: a.figures, logPosition: a.logPosition });
    expect(again.stderr).toMatch(/built from another log/);
  });

  it('rebuilds when the ledger was cut below the checkpoint, and when it was rewritten there', () => {
    importInto('a', 700, 1);
    report('a', readModels);
    const db = new Database(join(dir, 'a.db'));
    db.exec('DELETE FROM events WHERE position > 300');
    db.close();
    const cut = report('a', readModels);
    expect(cut.logPosition).toBe(300);
    expect({ figures: cut.figures, logPosition: cut.logPosition }).toEqual(clean('a'));
    expect(cut.stderr).toMatch(/^notice: .* are checkpointed at position 700, past the end of the log \(300 events\): the log was truncated; discarded, and rebuilt from position 0\n$/);

    report('a', readModels); // checkpointed at 300 again
    const rewrite = new Database(join(dir, 'a.db'));
    rewrite.exec('DELETE FROM events WHERE position > 200');
    rewrite.close();
    importInto('a', 400, 3); // positions 201-600: past the checkpoint again, but not the same log below it
    const rewritten = report('a', readModels);
    expect(rewritten.logPosition).toBe(600);
    expect({ figures: rewritten.figures, logPosition: rewritten.logPosition }).toEqual(clean('a'));
    expect(rewritten.stderr).toMatch(/differs from this one at or below position 300 .*the log was rewritten; discarded, and rebuilt from position 0\n$/);
  });

  it('sets a read-models file cut to half its size aside, keeps it, and rebuilds: report and rebuild both exit 0', () => {
    importInto('a', 700, 1);
    const first = report('a', readModels);
    for (const command of ['report', 'rebuild'] as const) {
      truncateSync(readModels, Math.floor(statSync(readModels).size / 2));
      const run = runCli(command === 'report' ? ['report', ...MARCH_2020] : ['rebuild'], ledger('a'), { READ_MODELS_DB: readModels });
      expect(run.status).toBe(0);
      const aside = readdirSync(dir).filter((name) => /^read-models\.db\.damaged-\d{8}T\d{6}Z(-\d+)?$/.test(name));
      expect(aside).toHaveLength(command === 'report' ? 1 : 2);
      expect(run.stderr).toContain(`notice: read models file ${readModels} is damaged (database disk image is malformed): set aside as ${readModels}.damaged-`);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      if (command === 'report') expect((JSON.parse(run.stdout) as ReportDocument).figures).toEqual(first.figures);
      else expect(run.stdout).toMatch(/rebuilt survey v\d+ to position 700/);
    }
    expect(report('a', readModels)).toEqual({ ...first, stderr: '' });
  });
});
