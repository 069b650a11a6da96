import { createHash } from 'node:crypto';
import type { LedgerEvent } from '@ledger/events';
import { epochMsOf, isLearnerEvent } from '@ledger/events';
import { validateEvent } from '@ledger/events';
import { PUBLICATION_KNOWN_AT, demoTargets, roundsTo } from './demo-calibration';
import { type DemoBatch, demoCorrections, demoHistory, generateDemoBatches } from './demo-data.generator';
import { type RecordedLine, recountFigures, valueOf } from './testing/recount-figures';

const SCALE = 0.01;
const SEED = 20210315;
const KNOWN_AT = Date.parse(PUBLICATION_KNOWN_AT);
const FIVE_MINUTES = 5 * 60_000;

function digest(batches: Iterable<DemoBatch>): string {
  const hash = createHash('sha256');
  for (const batch of batches) {
    hash.update(batch.recordedAt);
    for (const event of batch.events) hash.update(JSON.stringify(event));
  }
  return hash.digest('hex');
}

describe('demo data set (scale 0.01)', () => {
  let batches: DemoBatch[];
  let lines: RecordedLine[];

  beforeAll(() => {
    batches = [...generateDemoBatches({ seed: SEED, scale: SCALE })];
    lines = batches.flatMap((b) => b.events.map((event) => ({ event, recordedAtMs: Date.parse(b.recordedAt) })));
  });

  describe('determinism', () => {
    it('gives the same batches for the same seed, other batches for another seed', () => {
      const once = digest(generateDemoBatches({ seed: 9, scale: 0.005 }));
      expect(digest(generateDemoBatches({ seed: 9, scale: 0.005 }))).toBe(once);
      expect(digest(generateDemoBatches({ seed: 10, scale: 0.005 }))).not.toBe(once);
      expect(digest(batches)).toBe(digest(generateDemoBatches({ seed: SEED, scale: SCALE })));
    });

    it('knows from its plan alone when its last batch is recorded (what a complete load ends at)', () => {
      const history = demoHistory({ seed: SEED, scale: SCALE });
      expect(history.lastRecordedAt).toBe(batches[batches.length - 1]?.recordedAt);
      let last: string | undefined;
      for (const batch of generateDemoBatches({ seed: 9, scale: 0.005 })) last = batch.recordedAt;
      expect(demoHistory({ seed: 9, scale: 0.005 }).lastRecordedAt).toBe(last);
      // Its batches are the generator's.
      const [first] = history.batches();
      expect(first).toEqual(batches[0]);
    });

    it('lists its post-publication corrections deterministically', () => {
      expect(demoCorrections({ seed: SEED, scale: SCALE })).toEqual(demoCorrections({ seed: SEED, scale: SCALE }));
    });
  });

  describe('every event is valid where the replay clock stands', () => {
    it('passes validateEvent at its batch recordedAt (+5 minutes)', () => {
      const failures: unknown[] = [];
      for (const batch of batches) {
        const now = new Date(Date.parse(batch.recordedAt) + FIVE_MINUTES);
        for (const event of batch.events) {
          const result = validateEvent(event, now);
          if (!result.ok && failures.length < 5) failures.push({ event, errors: result.errors });
        }
      }
      expect(failures).toEqual([]);
    });

    it('has unique lower-case v4-layout event ids', () => {
      const ids = lines.map((l) => l.event.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
    });
  });

  describe('ordering', () => {
    it('has increasing batch instants, bounded batches, and no event ahead of its batch clock', () => {
      const instants = batches.map((b) => Date.parse(b.recordedAt));
      instants.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(instants[i] ?? Infinity));
      // At most 200,000 events per batch at scale 1, so at most 2,000 here.
      expect(Math.max(...batches.map((b) => b.events.length))).toBeLessThanOrEqual(200_000 * SCALE);
      expect(batches[0]?.recordedAt).toBe('2019-01-01T01:00:00.000Z'); // the migration of pre-2019 history
      expect(batches[0]?.events.every((e) => epochMsOf(e.occurredAt) < Date.UTC(2019, 0, 1))).toBe(true);
      const ahead = lines.filter((l) => epochMsOf(l.event.occurredAt) > l.recordedAtMs + FIVE_MINUTES);
      expect(ahead).toEqual([]);
    });

    it('names only earlier admissions and events of the same learner; retracts each event once, never a retraction', () => {
      const admissions = new Set<string>();
      const seen = new Map<string, LedgerEvent>();
      const retracted = new Set<string>();
      const problems: string[] = [];
      for (const { event } of lines) {
        if (event.type === 'LearnerAdmitted') admissions.add(`${event.learnerId}/${event.data.admissionId}`);
        if (event.type === 'PathEnded' && !admissions.has(`${event.learnerId}/${event.data.admissionId}`)) problems.push(`PathEnded ${event.eventId}`);
        if (event.type === 'EventRetracted') {
          const target = seen.get(event.data.retractedEventId);
          if (!target || !isLearnerEvent(target) || target.learnerId !== event.learnerId) problems.push(`target of ${event.eventId}`);
          if (target?.type === 'EventRetracted') problems.push(`retraction of a retraction ${event.eventId}`);
          if (retracted.has(event.data.retractedEventId)) problems.push(`retracted twice ${event.data.retractedEventId}`);
          retracted.add(event.data.retractedEventId);
        }
        seen.set(event.eventId, event);
      }
      expect(problems).toEqual([]);
      expect(retracted.size).toBeGreaterThan(0);
    });
  });

  describe('figures, recounted from the events as known at publication', () => {
    const targets = demoTargets(SCALE);

    it.each(targets.periods.map((p) => [p.from, p] as const))('%s: counts exactly, shares rounded, approximately close', (_, period) => {
      const figures = recountFigures(() => lines, period.from, period.to, KNOWN_AT);
      const expected = { ...period.counts, ...period.extra };
      expect(Object.fromEntries(Object.keys(expected).map((id) => [id, figures[id]]))).toEqual(expected);
      for (const [expression, published] of Object.entries(period.shares)) {
        const value = valueOf(figures, expression);
        expect([expression, value && roundsTo(value.numerator, value.denominator, published)]).toEqual([expression, true]);
      }
      for (const [id, approximately] of Object.entries(period.approximately)) {
        expect(Math.abs((figures[id] ?? 0) - approximately)).toBeLessThanOrEqual(Math.max(1, 0.05 * approximately));
      }
    });

    it('restates 2020 after publication by exactly the listed corrections', () => {
      const atPublication = recountFigures(() => lines, '2020-01-01', '2020-12-31', KNOWN_AT);
      const now = recountFigures(() => lines, '2020-01-01', '2020-12-31', Infinity);
      for (const [id, delta] of Object.entries(targets.restatement2020)) expect([id, (now[id] ?? 0) - (atPublication[id] ?? 0)]).toEqual([id, delta]);

      const corrections = demoCorrections({ seed: SEED, scale: SCALE });
      const after = lines.filter((l) => l.recordedAtMs > KNOWN_AT).map((l) => l.event.eventId);
      expect([...corrections.recordedAfterPublication].sort()).toEqual([...after].sort());
      const retractedLater = lines
        .filter((l) => l.recordedAtMs > KNOWN_AT && l.event.type === 'EventRetracted')
        .map((l) => (l.event.type === 'EventRetracted' ? l.event.data.retractedEventId : ''));
      expect([...corrections.retractedAfterPublication].sort()).toEqual([...retractedLater].sort());
      const existing = new Set(lines.filter((l) => l.recordedAtMs <= KNOWN_AT).map((l) => l.event.eventId));
      corrections.retractedAfterPublication.forEach((id) => expect(existing.has(id)).toBe(true));
      expect(corrections.retractedAfterPublication.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('the 2021 mission scope (EVENTS.md v1.1), recounted as known at publication', () => {
    const y2020 = () => recountFigures(() => lines, '2020-01-01', '2020-12-31', KNOWN_AT);

    it("attains the committee's 2020 commitments as the report's levers table reads: funding and partnerships met, awareness and international without a baseline", () => {
      const figures = y2020();
      const attained = demoTargets(SCALE).attainment2020;
      expect(Object.fromEntries(Object.keys(attained).map((id) => [id, figures[id]]))).toEqual(attained);
      // Partnerships from the 2019 apprentices to 2020's three funders (405 to 1,350 at scale 1); no baseline said as null, never 0.
      const p = demoTargets(SCALE).periods;
      expect(figures['commitments.2020-partnerships.baseline']).toBe(p[1].counts['partnerships.total']);
      expect(figures['commitments.2020-partnerships.actual']).toBe((p[0].counts['partnerships.total'] ?? 0) / (p[1].counts['partnerships.total'] ?? 1) - 1);
      for (const id of ['2020-awareness', '2020-international']) expect([id, figures[`commitments.${id}.baseline`], figures[`commitments.${id}.actual`]]).toEqual([id, 0, null]);
      expect(figures['commitments.2020-funding.target']).toBe(0.6);
    });

    it('sets the 2021 commitments in February 2021 and revises one after publication', () => {
      const at = recountFigures(() => lines, '2021-01-01', '2021-12-31', KNOWN_AT);
      const now = recountFigures(() => lines, '2021-01-01', '2021-12-31', Infinity);
      const targets = (f: Record<string, number | null>) => Object.fromEntries(Object.entries(f).filter(([id]) => /^commitments\..*\.target$/.test(id)));
      expect(Object.keys(targets(at))).toHaveLength(4);
      const changed = Object.keys(targets(now)).filter((id) => now[id] !== at[id]);
      expect(changed.map((id) => [id, at[id], now[id]])).toEqual([['commitments.2021-funding.target', 0.65, 0.7]]);
    });

    it('has planned lengths, graduations on time, late (within 150 % and beyond) and withdrawals, and declarations inside and outside the 180-day windows', () => {
      const cohort2019 = recountFigures(() => lines, '2019-01-01', '2019-12-31', KNOWN_AT);
      const f = (id: string) => cohort2019[`outcomes.cohort.${id}`] ?? 0;
      expect(f('planned')).toBeGreaterThan(0);
      expect(f('planned')).toBeLessThan(f('admissions')); // nothing planned before April 2019
      expect(f('graduated-on-time')).toBeGreaterThan(0);
      expect(f('graduated-150')).toBeGreaterThan(f('graduated-on-time'));
      expect(f('graduated')).toBeGreaterThan(f('graduated-150'));
      expect(f('withdrew')).toBeGreaterThan(0);
      expect(f('declared-180')).toBeGreaterThan(0);
      expect(f('no-declaration-180')).toBeGreaterThan(0);
      // Some graduates declare outside their window (later than 180 days, or before graduating).
      const graduation = new Map<string, number>();
      const declarations: { learner: string; at: number }[] = [];
      for (const { event } of lines) {
        if (event.type === 'PathEnded' && event.data.reason === 'graduated') graduation.set(event.learnerId, epochMsOf(event.occurredAt));
        if (event.type === 'ProfessionalOutcomeReported') declarations.push({ learner: event.learnerId, at: epochMsOf(event.occurredAt) });
      }
      const outside = declarations.filter((d) => {
        const g = graduation.get(d.learner);
        return g !== undefined && (d.at < g || d.at >= g + 180 * 86_400_000);
      });
      expect(outside.length).toBeGreaterThan(0);
      // 2020 graduates' windows still open at publication are not counted as "no declaration".
      const figures = y2020();
      expect(figures['outcomes.cohort.window-closed']).toBeLessThan(figures['outcomes.cohort.graduated'] ?? 0);
    });

    it('has mentors, some of them from the five groups, their sessions, and free users of the five groups', () => {
      const figures = y2020();
      expect(figures['mentors.registered']).toBeGreaterThan(0);
      expect(figures['mentors.disadvantaged']).toBeGreaterThan(0);
      expect(figures['mentors.disadvantaged']).toBeLessThan(figures['mentors.active'] ?? 0);
      expect(figures['mentors.low-qualified']).toBeNull(); // never asked: not collected
      expect(figures['mentoring.sessions']).toBeGreaterThan(figures['mentors.active'] ?? 0);
      expect(figures['mentoring.disadvantaged-learners']).toBeGreaterThan(0);
      // 2019's mentors were not asked about their statuses then: not collected, not 0.
      expect(recountFigures(() => lines, '2019-01-01', '2019-12-31', KNOWN_AT)['mentors.qpv-resident']).toBeNull();
      expect(figures['free-users.disadvantaged']).toBeGreaterThan(0);
      expect(figures['impact.free-users']).toBeGreaterThan(0);
    });
  });

  describe('looks like a history, not a table', () => {
    const targets = demoTargets(SCALE);
    const active = (month: string) => targets.periods.flatMap((p) => [p.extra[`key.active-learners.${month}`]]).find((v) => v !== undefined) ?? 0;

    it('follows the seasons and the 2020 lockdown', () => {
      expect(active('2020-08')).toBeLessThan(active('2020-06'));
      expect(active('2020-09')).toBeGreaterThan(active('2020-08'));
      expect(active('2020-04')).toBeGreaterThan(active('2020-02'));
      expect(active('2019-08')).toBeLessThan(active('2019-01'));
    });

    it('writes occurredAt with the sources offsets: France with DST, Africa, Canada, UTC back offices', () => {
      const offsets = new Set(lines.map((l) => /(Z|[+-]\d{2}:\d{2})$/.exec(l.event.occurredAt)?.[1]));
      for (const offset of ['+01:00', '+02:00', '+00:00', 'Z', '-05:00', '-04:00']) expect([offset, offsets.has(offset)]).toEqual([offset, true]);
    });

    it('records some events late: weeks after, in early 2021 before publication, and after it', () => {
      const late = lines.filter((l) => l.event.type !== 'EventRetracted' && l.recordedAtMs - epochMsOf(l.event.occurredAt) > 30 * 86_400_000);
      expect(late.length).toBeGreaterThan(10);
      expect(late.some((l) => l.event.type === 'FundingGranted')).toBe(true);
      expect(late.some((l) => l.event.type === 'ProfessionalOutcomeReported')).toBe(true);
      const from2020 = lines.filter((l) => l.event.occurredAt.startsWith('2020') && l.recordedAtMs >= Date.UTC(2021, 0, 2));
      expect(from2020.some((l) => l.recordedAtMs <= KNOWN_AT)).toBe(true);
      expect(from2020.some((l) => l.recordedAtMs > KNOWN_AT)).toBe(true);
    });

    it('has graduations and withdrawals, most graduates and certificate holders without a declaration: no impact by default', () => {
      const graduates = new Set<string>();
      let withdrawals = 0;
      const declared = new Set<string>();
      const certified = new Set<string>();
      for (const { event } of lines) {
        if (event.type === 'PathEnded') {
          if (event.data.reason === 'graduated') graduates.add(event.learnerId);
          else withdrawals += 1;
        }
        if (event.type === 'ProfessionalOutcomeReported' || event.type === 'ApprenticeshipContractSigned') declared.add(event.learnerId);
        if (event.type === 'CertificateEarned') certified.add(event.learnerId);
      }
      expect(withdrawals).toBeGreaterThan(10);
      const graduatesWithout = [...graduates].filter((l) => !declared.has(l)).length;
      expect(graduatesWithout).toBeGreaterThan(graduates.size - graduatesWithout);
      expect([...certified].filter((l) => !declared.has(l)).length).toBeGreaterThan(100 * declared.size);
    });

    it('has learners in two segments (public aid, then an apprenticeship)', () => {
      const funders = new Map<string, Set<string>>();
      for (const { event } of lines) {
        if (event.type !== 'FundingGranted' || !event.occurredAt.startsWith('2020')) continue;
        const set = funders.get(event.learnerId) ?? new Set<string>();
        set.add(event.data.funder);
        funders.set(event.learnerId, set);
      }
      expect([...funders.values()].filter((f) => f.has('public-aid') && f.has('apprenticeship')).length).toBeGreaterThan(0);
    });

    it('has learners who come and go between months', () => {
      const months = new Map<string, Set<string>>();
      for (const { event } of lines) {
        if (event.type !== 'LearnerActive' && event.type !== 'CourseStarted' && event.type !== 'CertificateEarned') continue;
        const month = new Date(epochMsOf(event.occurredAt)).toISOString().slice(0, 7);
        const set = months.get(month) ?? new Set<string>();
        set.add(event.learnerId);
        months.set(month, set);
      }
      const [may, june, july] = ['2020-05', '2020-06', '2020-07'].map((m) => months.get(m) ?? new Set<string>());
      const stayed = [...(june ?? [])].filter((l) => may?.has(l)).length;
      expect(stayed).toBeGreaterThan(0.3 * (june?.size ?? 0));
      expect(stayed).toBeLessThan(0.8 * (june?.size ?? 0));
      const back = [...(july ?? [])].filter((l) => may?.has(l) && !june?.has(l)).length;
      expect(back).toBeGreaterThan(0);
    });
  });
});
