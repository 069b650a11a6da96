import type { Funder, RecordedEvent } from '../../libs/events/src/catalog';
import { epochMsOf, utcInstantKey } from '../../libs/events/src/rfc3339';
import type { Period } from '../../libs/projections/src/period';
import { monthsOf } from '../../libs/projections/src/period';
import type { Projection } from '../../libs/projections/src/projection';

/** Funder groups of EVENTS.md. */
const THIRD_PARTY: readonly Funder[] = ['public-aid', 'pse', 'apprenticeship', 'employer', 'employer-abroad'];

type Dated = { readonly learnerId: string; readonly atMs: number };

/**
 * The funding lever (KPIS.md): admissions, path ends and fundings, each with when it
 * occurred; existing ones only (a retraction removes the event it names). The figures are
 * computed per month end from these, so a late event or a retraction moves exactly the
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
  version: 1,
  handles: ['LearnerAdmitted', 'PathEnded', 'FundingGranted', 'EventRetracted'],
  initialState: () => ({ admissions: {}, pathEnds: {}, fundings: {} }),
  evolve(state, event: RecordedEvent): FundingState {
    switch (event.type) {
      case 'LearnerAdmitted':
        state.admissions[event.eventId] = { learnerId: event.learnerId, atMs: epochMsOf(event.occurredAt), admissionId: event.data.admissionId };
        return state;
      case 'PathEnded':
        state.pathEnds[event.eventId] = { learnerId: event.learnerId, atMs: epochMsOf(event.occurredAt), admissionId: event.data.admissionId };
        return state;
      case 'FundingGranted':
        state.fundings[event.eventId] = {
          learnerId: event.learnerId,
          atMs: epochMsOf(event.occurredAt),
          instant: utcInstantKey(event.occurredAt),
          position: event.position,
          funder: event.data.funder,
        };
        return state;
      case 'EventRetracted': {
        const id = event.data.retractedEventId;
        delete state.admissions[id];
        delete state.pathEnds[id];
        delete state.fundings[id];
        return state;
      }
      default:
        return state;
    }
  },
};

/**
 * For each month M of the period, at t = the first instant after M: `funding.<M>.in-training`,
 * `.third-party`, `.employment-program`, `.self` and `.funded-share` (exact; null when no
 * learner is in training).
 */
export function fundingFigures(state: FundingState, period: Period): Record<string, number | null> {
  // The earliest end of each (learner, admission): an admission is closed at t once an end occurred before t.
  const endedAt = new Map<string, number>();
  for (const end of Object.values(state.pathEnds)) {
    const key = `${end.learnerId}\u0000${end.admissionId}`;
    endedAt.set(key, Math.min(end.atMs, endedAt.get(key) ?? Infinity));
  }
  const fundingsByLearner = new Map<string, Array<FundingState['fundings'][string]>>();
  for (const funding of Object.values(state.fundings)) {
    const list = fundingsByLearner.get(funding.learnerId) ?? [];
    list.push(funding);
    fundingsByLearner.set(funding.learnerId, list);
  }
  for (const list of fundingsByLearner.values()) {
    list.sort((a, b) => (a.instant < b.instant ? -1 : a.instant > b.instant ? 1 : a.position - b.position));
  }

  const figures: Record<string, number | null> = {};
  for (const month of monthsOf(period)) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const t = Date.UTC(year, m, 1); // the first instant after month M (Date.UTC months are 0-based)
    const inTraining = new Set<string>();
    for (const admission of Object.values(state.admissions)) {
      if (admission.atMs >= t) continue;
      const end = endedAt.get(`${admission.learnerId}\u0000${admission.admissionId}`);
      if (end === undefined || end >= t) inTraining.add(admission.learnerId);
    }
    let thirdParty = 0;
    let program = 0;
    for (const learnerId of inTraining) {
      const fundings = fundingsByLearner.get(learnerId) ?? [];
      let latest: Funder = 'self';
      for (const funding of fundings) if (funding.atMs < t) latest = funding.funder;
      if (THIRD_PARTY.includes(latest)) thirdParty += 1;
      else if (latest === 'employment-program') program += 1;
    }
    const total = inTraining.size;
    figures[`funding.${month}.in-training`] = total;
    figures[`funding.${month}.third-party`] = thirdParty;
    figures[`funding.${month}.employment-program`] = program;
    figures[`funding.${month}.self`] = total - thirdParty - program;
    figures[`funding.${month}.funded-share`] = total === 0 ? null : (thirdParty + program) / total;
  }
  return figures;
}
