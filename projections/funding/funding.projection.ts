import type { Funder, RecordedEvent } from '../../libs/events/src/catalog';
import { epochMsOf, utcInstantKey } from '../../libs/events/src/rfc3339';
import type { Explanation } from '../../libs/projections/src/explain';
import type { Period } from '../../libs/projections/src/period';
import { monthsOf } from '../../libs/projections/src/period';
import type { KnownFact } from '../../libs/projections/src/known-facts';
import { existsAt, markRetracted } from '../../libs/projections/src/known-facts';
import type { Projection } from '../../libs/projections/src/projection';

/** Funder groups of EVENTS.md. */
const THIRD_PARTY: readonly Funder[] = ['public-aid', 'pse', 'apprenticeship', 'employer', 'employer-abroad'];

type Dated = KnownFact & { readonly learnerId: string; readonly atMs: number };

/**
 * The funding lever (KPIS.md): admissions, path ends and fundings, each with when it
 * occurred. Bitemporal: each is kept with the position it became known at and the one of
 * its retraction, so the figures answer as known at any position from this one state. The
 * figures are computed per month end, so a late event or a retraction moves exactly the
 * months it concerns.
 */
export interface FundingState {
  readonly admissions: Record<string, Dated & { readonly admissionId: string }>;
  readonly pathEnds: Record<string, Dated & { readonly admissionId: string }>;
  /** `instant` orders fundings exactly (sub-millisecond digits included); `position` breaks ties. */
  readonly fundings: Record<string, Dated & { readonly instant: string; readonly position: number; readonly funder: Funder }>;
}

export const fundingProjection: Projection<FundingState> = {
  name: 'funding',
  version: 3,
  bitemporal: true,
  handles: ['LearnerAdmitted', 'PathEnded', 'FundingGranted', 'EventRetracted'],
  initialState: () => ({ admissions: {}, pathEnds: {}, fundings: {} }),
  evolve(state, event: RecordedEvent): FundingState {
    switch (event.type) {
      case 'LearnerAdmitted':
        state.admissions[event.eventId] = {
          learnerId: event.learnerId,
          atMs: epochMsOf(event.occurredAt),
          admissionId: event.data.admissionId,
          position: event.position,
          retractedAt: 0,
        };
        return state;
      case 'PathEnded':
        state.pathEnds[event.eventId] = {
          learnerId: event.learnerId,
          atMs: epochMsOf(event.occurredAt),
          admissionId: event.data.admissionId,
          position: event.position,
          retractedAt: 0,
        };
        return state;
      case 'FundingGranted':
        state.fundings[event.eventId] = {
          learnerId: event.learnerId,
          atMs: epochMsOf(event.occurredAt),
          instant: utcInstantKey(event.occurredAt),
          position: event.position,
          retractedAt: 0,
          funder: event.data.funder,
        };
        return state;
      case 'EventRetracted': {
        const id = event.data.retractedEventId;
        for (const facts of [state.admissions, state.pathEnds, state.fundings]) markRetracted(facts, id, event.position);
        return state;
      }
      default:
        return state;
    }
  },
};

type Funding = FundingState['fundings'][string];

/** Who is in training at the end of a month, by which admissions, and the funding that decides their group. */
interface MonthEnd {
  readonly month: string;
  /** Learners in training, with the positions of their open admissions. */
  readonly inTraining: Map<string, number[]>;
  /** Their latest funding before the month's end; none: self. */
  readonly latestFunding: Map<string, Funding>;
}

function groupOf(funding: Funding | undefined): 'third-party' | 'employment-program' | 'self' {
  if (funding && THIRD_PARTY.includes(funding.funder)) return 'third-party';
  return funding?.funder === 'employment-program' ? 'employment-program' : 'self';
}

function monthEnds(state: FundingState, period: Period, knownAt?: number): MonthEnd[] {
  // The earliest end of each (learner, admission): an admission is closed at t once an end occurred before t.
  const endedAt = new Map<string, number>();
  for (const end of Object.values(state.pathEnds)) {
    if (!existsAt(end, knownAt)) continue;
    const key = `${end.learnerId}\u0000${end.admissionId}`;
    endedAt.set(key, Math.min(end.atMs, endedAt.get(key) ?? Infinity));
  }
  const admissions = Object.values(state.admissions)
    .filter((a) => existsAt(a, knownAt))
    .map((a) => ({ ...a, endedAt: endedAt.get(`${a.learnerId}\u0000${a.admissionId}`) ?? Infinity }));
  const fundingsByLearner = new Map<string, Funding[]>();
  for (const funding of Object.values(state.fundings)) {
    if (!existsAt(funding, knownAt)) continue;
    const list = fundingsByLearner.get(funding.learnerId) ?? [];
    list.push(funding);
    fundingsByLearner.set(funding.learnerId, list);
  }
  for (const list of fundingsByLearner.values()) {
    list.sort((a, b) => (a.instant < b.instant ? -1 : a.instant > b.instant ? 1 : a.position - b.position));
  }
  return monthsOf(period).map((month) => {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const t = Date.UTC(year, m, 1); // the first instant after month M (Date.UTC months are 0-based)
    const inTraining = new Map<string, number[]>();
    for (const admission of admissions) {
      if (admission.atMs >= t || admission.endedAt < t) continue;
      const open = inTraining.get(admission.learnerId);
      if (open) open.push(admission.position);
      else inTraining.set(admission.learnerId, [admission.position]);
    }
    const latestFunding = new Map<string, Funding>();
    for (const learnerId of inTraining.keys()) {
      let latest: Funding | undefined;
      for (const funding of fundingsByLearner.get(learnerId) ?? []) if (funding.atMs < t) latest = funding;
      if (latest) latestFunding.set(learnerId, latest);
    }
    return { month, inTraining, latestFunding };
  });
}

/**
 * For each month M of the period, at t = the first instant after M: `funding.<M>.in-training`,
 * `.third-party`, `.employment-program`, `.self` and `.funded-share` (exact; null when no
 * learner is in training).
 */
export function fundingFigures(state: FundingState, period: Period, knownAt?: number): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const { month, inTraining, latestFunding } of monthEnds(state, period, knownAt)) {
    const groups = { 'third-party': 0, 'employment-program': 0, self: 0 };
    for (const learnerId of inTraining.keys()) groups[groupOf(latestFunding.get(learnerId))] += 1;
    const total = inTraining.size;
    figures[`funding.${month}.in-training`] = total;
    figures[`funding.${month}.third-party`] = groups['third-party'];
    figures[`funding.${month}.employment-program`] = groups['employment-program'];
    figures[`funding.${month}.self`] = groups.self;
    figures[`funding.${month}.funded-share`] = total === 0 ? null : (groups['third-party'] + groups['employment-program']) / total;
  }
  return figures;
}

/**
 * Provenance: the open admissions of the learners in training at the month's end (of one
 * funder group), and the latest funding before it that puts each in their group.
 */
export function explainFunding(state: FundingState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const match = /^funding\.(\d{4}-\d{2})\.(in-training|third-party|employment-program|self|funded-share)$/.exec(figure);
  const monthEnd = match && monthEnds(state, { from: `${match[1]}-01`, to: `${match[1]}-01` }, knownAt).find((m) => m.month === match[1]);
  if (!match || !monthEnd) return undefined;
  const measure = match[2] as 'in-training' | 'third-party' | 'employment-program' | 'self' | 'funded-share';
  const counted = (learnerId: string) => {
    const group = groupOf(monthEnd.latestFunding.get(learnerId));
    return measure === 'in-training' || measure === group || (measure === 'funded-share' && group !== 'self');
  };
  const positions: number[] = [];
  for (const [learnerId, admissions] of monthEnd.inTraining) {
    if (!counted(learnerId)) continue;
    positions.push(...admissions);
    const funding = monthEnd.latestFunding.get(learnerId);
    if (funding) positions.push(funding.position);
  }
  const rules = {
    'in-training': 'learners with an admission that occurred before the end of the month and no PathEnded for it before then',
    'third-party': 'learners in training at the end of the month whose latest FundingGranted before then is by a third party',
    'employment-program': 'learners in training at the end of the month whose latest FundingGranted before then is by the employment program',
    self: 'learners in training at the end of the month with no funding before then, or whose latest is self',
    'funded-share': '(third-party + employment-program) / in-training at the end of the month; the events of the funded learners',
  };
  return { rule: rules[measure], evidence: { kind: 'positions', positions } };
}
