import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditMarkdown, auditPeriod, publishReport } from '@ledger/audit';
import { EventIngestor } from '@ledger/ingest';
import { computeReport, SqliteProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_SOURCES } from '@ledger/projections';
import { ManualClock } from './event-store.contract';
import { tempSqliteStore } from '../support/temp-sqlite';
import { learnerActive, outcomeReported, pathEndedFor, plannedAdmission, uuidOf } from '../support/event-builders';

describe('audit: no impact by default covers impact.free-users and outcomes.cohort.declared-180* (KPIS.md v2)', () => {
  it('lists every counted learner with the declarations that count, and passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-audit-v2-'));
    const clock = new ManualClock();
    const sut = tempSqliteStore(clock.now);
    const store = sut.store;
    const states = new SqliteProjectionStateStore(join(dir, 'read-models.db'));
    try {
      clock.set('2021-03-01T00:00:00Z');
      await new EventIngestor(store, clock.now).ingest([
        // f: a free user who declared; a: admitted, graduated, declared within 180 days; b: graduated, declared nothing.
        learnerActive(1, 'f', '2020-04-01T10:00:00Z'),
        outcomeReported(2, 'f', '2020-05-01T10:00:00Z', 'business-created'),
        plannedAdmission(3, 'a', '2020-01-10T09:00:00Z', 6),
        pathEndedFor(4, 'a', 'A3', '2020-07-01T12:00:00Z'),
        outcomeReported(5, 'a', '2020-08-01T12:00:00Z'),
        plannedAdmission(6, 'b', '2020-01-10T09:00:00Z', 6),
        pathEndedFor(7, 'b', 'A6', '2020-07-01T12:00:00Z'),
      ]);
      const findings = await auditPeriod(store, states, FIGURE_SOURCES, { period: { from: '2020-01-01', to: '2020-12-31' }, knownAt: '2021-03-01T00:00:00Z', now: '2021-03-02T00:00:00Z' });
      const byFigure = Object.fromEntries(findings.declaredFigures.map((d) => [d.figure, d]));
      expect(byFigure['impact.free-users']).toMatchObject({ value: 1, ok: true, learners: [{ learnerId: 'f', declarations: [2] }] });
      expect(byFigure['outcomes.cohort.declared-180']).toMatchObject({ value: 1, ok: true, learners: [{ learnerId: 'a', declarations: [5] }], otherEvidenceTypes: [] });
      expect(byFigure['outcomes.cohort.declared-180.new-job']).toMatchObject({ value: 1, ok: true });
      expect(byFigure['outcomes.cohort.declared-180.promotion']).toMatchObject({ value: 0, ok: true, learners: [] });
      expect(findings.ok).toBe(true);
      expect(auditMarkdown(findings)).toContain('`outcomes.cohort.declared-180` = 1: 1 learners with a declaration in the provenance; 0 counted without one');
    } finally {
      await states.close();
      await sut.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a cohort figure restated by time alone (a window closed since publication), with no event added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-audit-v2-'));
    const clock = new ManualClock();
    const sut = tempSqliteStore(clock.now);
    const states = new SqliteProjectionStateStore(join(dir, 'read-models.db'));
    const year = { from: '2020-01-01', to: '2020-12-31' };
    try {
      clock.set('2020-12-01T00:00:00Z');
      // Graduated 2020-11-01: the window closes 2021-04-30; declared nothing.
      await new EventIngestor(sut.store, clock.now).ingest([plannedAdmission(1, 'a', '2020-02-01T09:00:00Z', 6), pathEndedFor(2, 'a', 'A1', '2020-11-01T00:00:00Z')]);
      clock.set('2021-03-15T10:00:00Z');
      const published = await computeReport(sut.store, states, FIGURE_SOURCES, { period: year, knownAt: '2021-03-15T00:00:00Z', now: clock.now().toISOString() });
      expect(published.figures['outcomes.cohort.no-declaration-180']).toBe(0); // the window is open: not "no declaration"
      await publishReport(sut.store, published, { publicationId: 'report-2020', eventId: uuidOf(100), occurredAt: '2021-03-15T10:00:00Z' });
      const findings = await auditPeriod(sut.store, states, FIGURE_SOURCES, { period: year, knownAt: '2021-03-15T00:00:00Z', now: '2021-06-01T00:00:00Z', published });
      const restated = findings.published?.figures.find((f) => f.figure === 'outcomes.cohort.no-declaration-180');
      expect(restated).toMatchObject({ atPublication: 0, now: 1, reproduced: true, restatement: { added: [], retracted: [], explained: true } });
      expect(findings.ok).toBe(true);
    } finally {
      await states.close();
      await sut.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
