import type { Funder, Status, StatusAssessment } from '@ledger/events';
import { STATUSES } from '@ledger/events';
import { instantOf } from '@ledger/events';
import { Column, LearnerFacts, LearnerIndex } from '@ledger/projection-kit';
import type { EventOf } from '@ledger/projection-kit';
import { defineProjection, literals } from '@ledger/projection-kit';

export const SURVEY = 1;
export const ADMISSION = 2;
export const FUNDING = 3;

/** The segments of the populations table (KPIS.md), as stored codes (0: none). */
export const SEGMENTS = literals<string>()('paid-funded', 'employment-program', 'employer-funded');
export type Segment = (typeof SEGMENTS)[number];

const SEGMENT_OF_FUNDER: Partial<Record<Funder, Segment>> = {
  'public-aid': 'paid-funded',
  pse: 'paid-funded',
  apprenticeship: 'employer-funded',
  employer: 'employer-funded',
  'employer-abroad': 'employer-funded',
};

/** One bit per status, in the order of `STATUSES`. */
export function statusBit(status: Status): number {
  return 1 << STATUSES.indexOf(status);
}

function bitsOf(statuses: readonly Status[] | undefined): number {
  let bits = 0;
  for (const status of statuses ?? []) bits |= statusBit(status);
  return bits;
}

/** A country (ISO 3166-1 alpha-2, upper case) as a number; 0 when none is given. */
export function countryCode(country: string | undefined): number {
  return country === undefined ? 0 : (country.charCodeAt(0) << 8) | country.charCodeAt(1);
}

/**
 * What the populations table and the international figures know of learners (KPIS.md):
 * every signup survey, admission and funding, one row each, with the statuses it assessed
 * and found held, the country it gives, the segment it puts the learner in and whether it
 * is an English path. Columnar and bitemporal, like the activity read model: a survey
 * answered by hundreds of thousands of learners costs a few bytes a row, and every row
 * carries the position it became known at and the one of its retraction.
 */
export interface LearnerProfilesState {
  readonly learners: LearnerIndex;
  readonly facts: LearnerFacts;
  /** Row for row with `facts`: SURVEY, ADMISSION or FUNDING. */
  readonly kind: Column<Uint8Array>;
  readonly assessed: Column<Uint8Array>;
  readonly held: Column<Uint8Array>;
  readonly country: Column<Int32Array>;
  /** 1 + the index in `SEGMENTS` of the segment the event puts its learner in; 0 for none. */
  readonly segment: Column<Uint8Array>;
  /** 1 for an admission to an English path. */
  readonly english: Column<Uint8Array>;
}

/** The state as stored: `toJson`'s output, given back to `fromJson`. */
interface StoredLearnerProfiles {
  readonly learners: ReturnType<LearnerIndex['toJson']>;
  readonly facts: ReturnType<LearnerFacts['toJson']>;
  readonly kind: Uint8Array;
  readonly assessed: Uint8Array;
  readonly held: Uint8Array;
  readonly country: Uint8Array;
  readonly segment: Uint8Array;
  readonly english: Uint8Array;
}

function addFact(
  state: LearnerProfilesState,
  event: EventOf<'SignupSurveyAnswered' | 'LearnerAdmitted' | 'FundingGranted'>,
  kind: number,
  fact: { assessment?: StatusAssessment; country?: string; segment?: Segment; english?: boolean },
): LearnerProfilesState {
  state.facts.add(state.learners.intern(event.learnerId), instantOf(event.occurredAt), event.position);
  state.kind.push(kind);
  state.assessed.push(bitsOf(fact.assessment?.assessed));
  state.held.push(bitsOf(fact.assessment?.held));
  state.country.push(countryCode(fact.country));
  state.segment.push(fact.segment === undefined ? 0 : SEGMENTS.indexOf(fact.segment) + 1);
  state.english.push(fact.english ? 1 : 0);
  return state;
}

export const learnerProfilesProjection = defineProjection({
  name: 'learner-profiles',
  version: 2,
  bitemporal: true,
  handles: ['SignupSurveyAnswered', 'LearnerAdmitted', 'FundingGranted'],
  retraction: {
    kind: 'retract',
    retract(state: LearnerProfilesState, retracted, retraction): LearnerProfilesState {
      state.facts.retract(retracted.position, retraction.position);
      return state;
    },
  },
  initialState: (): LearnerProfilesState => ({
    learners: LearnerIndex.empty(),
    facts: new LearnerFacts(),
    kind: new Column(Uint8Array),
    assessed: new Column(Uint8Array),
    held: new Column(Uint8Array),
    country: new Column(Int32Array),
    segment: new Column(Uint8Array),
    english: new Column(Uint8Array),
  }),

  evolve(state, event): LearnerProfilesState {
    switch (event.type) {
      case 'SignupSurveyAnswered':
        return addFact(state, event, SURVEY, { assessment: event.data.statusAssessment, country: event.data.country });
      case 'LearnerAdmitted':
        return addFact(state, event, ADMISSION, {
          assessment: event.data.statusAssessment,
          country: event.data.country,
          segment: event.data.track === 'employment-program' ? 'employment-program' : undefined,
          english: event.data.pathLanguage === 'en',
        });
      case 'FundingGranted':
        return addFact(state, event, FUNDING, { assessment: event.data.statusAssessment, segment: SEGMENT_OF_FUNDER[event.data.funder] });
    }
  },

  toJson: (state): StoredLearnerProfiles => ({
    learners: state.learners.toJson(),
    facts: state.facts.toJson(),
    kind: state.kind.toJson(),
    assessed: state.assessed.toJson(),
    held: state.held.toJson(),
    country: state.country.toJson(),
    segment: state.segment.toJson(),
    english: state.english.toJson(),
  }),

  fromJson(stored: StoredLearnerProfiles): LearnerProfilesState {
    return {
      learners: LearnerIndex.fromJson(stored.learners),
      facts: LearnerFacts.fromJson(stored.facts),
      kind: Column.fromJson(Uint8Array, stored.kind),
      assessed: Column.fromJson(Uint8Array, stored.assessed),
      held: Column.fromJson(Uint8Array, stored.held),
      country: Column.fromJson(Int32Array, stored.country),
      segment: Column.fromJson(Uint8Array, stored.segment),
      english: Column.fromJson(Uint8Array, stored.english),
    };
  },
});

/** The last `statusesBefore` answer, by state: populations and international ask the same one in a row. */
const lastStatuses = new WeakMap<LearnerProfilesState, { endMs: number; knownAt: number; changes: number; statuses: { assessed: Uint8Array; held: Uint8Array } }>();

/**
 * `assessed(L)` and `held(L)` of KPIS.md for every learner, as status bits indexed by
 * learner: the unions over their existing events (as known at `knownAt`) that occurred
 * before `endMs`.
 */
export function statusesBefore(state: LearnerProfilesState, endMs: number, knownAt: number): { assessed: Uint8Array; held: Uint8Array } {
  const { facts } = state;
  const last = lastStatuses.get(state);
  if (last && last.endMs === endMs && last.knownAt === knownAt && last.changes === facts.changes) return last.statuses;
  const assessed = new Uint8Array(state.learners.size);
  const held = new Uint8Array(state.learners.size);
  const learners = facts.learner.values();
  const atMs = facts.atMs.values();
  for (let row = 0; row < facts.length; row++) {
    if ((atMs[row] ?? 0) >= endMs || !facts.existsAt(row, knownAt)) continue;
    const learner = (learners[row] ?? 0);
    assessed[learner] = (assessed[learner] ?? 0) | state.assessed.at(row);
    held[learner] = (held[learner] ?? 0) | state.held.at(row);
  }
  const statuses = { assessed, held };
  lastStatuses.set(state, { endMs, knownAt, changes: facts.changes, statuses });
  return statuses;
}
