import { lastValueFrom, toArray } from 'rxjs';
import type { AuditFindings } from '@ledger/audit';
import { parsePeriod } from '@ledger/projection-kit';
import { courseStarted } from '@ledger/testing/event-builders';
import type { Progressing } from '../progress';
import { NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { AuditQuery } from './audit.query';
import { UnknownPublicationError } from './unknown-publication.error';

describe('AuditQuery (AuditHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);

  it('streams its progress, then the findings once, and runs only when subscribed to', async () => {
    const audit = await sut.queries.execute(new AuditQuery({ period, now: NOW }));
    // Recorded after the query was executed, before it is subscribed to: the audit sees it.
    await sut.recorded('2021-05-01T00:00:00Z', courseStarted(4, 'b', '2020-03-01T00:00:00Z'));
    sut.clock.set(NOW);
    const events: Array<Progressing<AuditFindings>> = await lastValueFrom(audit.pipe(toArray()));
    const last = events.at(-1);
    expect(last?.type).toBe('result');
    const findings = last?.type === 'result' ? last.result : undefined;
    expect(findings).toMatchObject({ ok: true, knownAt: NOW, logPosition: 4, log: { ok: true, checked: 4 } });
    // The audit reports its progress every so many events: on four, the result may come alone, and last.
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).toBe(true);
  });

  it('checks a published report given as a document against the events as known at its moment', async () => {
    const published = { period: YEAR_2020, knownAt: PUBLICATION, logPosition: 2, figures: { 'key.courses-started': 3 } };
    const audit = await sut.queries.execute(new AuditQuery({ period, now: NOW, published }));
    const events = await lastValueFrom(audit.pipe(toArray()));
    const last = events.at(-1);
    const findings = last?.type === 'result' ? last.result : undefined;
    expect(findings?.ok).toBe(false);
    expect(findings?.published?.figures).toEqual([expect.objectContaining({ figure: 'key.courses-started', published: 3, atPublication: 2, reproduced: false })]);
  });

  it('refuses a publication id no seal in the log names, at once, before anything runs', async () => {
    await expect(sut.queries.execute(new AuditQuery({ period, now: NOW, published: 'mission-report-2020' }))).rejects.toEqual(new UnknownPublicationError('mission-report-2020'));
  });
});
