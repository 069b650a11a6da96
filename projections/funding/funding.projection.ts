import type { Funder } from '@ledger/events';
import { FUNDERS } from '@ledger/events';
import { instantOf } from '@ledger/events';
import { Column, LearnerFacts, LearnerIndex } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { monthsOf } from '@ledger/projection-kit';
import { defineProjection, literals } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** Funder groups of EVENTS.md, by funder code (the index in `FUNDERS`). */
const THIRD_PARTY = new Set<Funder>(['public-aid', 'pse', 'apprenticeship', 'employer', 'employer-abroad']);
type Group = 'third-party' | 'employment-program' | 'self';
const GROUP_OF_CODE: readonly Group[] = FUNDERS.map((f) => (THIRD_PARTY.has(f) ? 'third-party' : f === 'employment-program' ? 'employment-program' : 'self'));

/**
 * The funding lever (KPIS.md): admissions, path ends and fundings, one row each, with when
 * it occurred. Columnar and bitemporal like the learner read models: each row keeps the
 * position it became known at and the one of its retraction, so the figures answer as
 * known at any position from this one state, and a report loads it as bytes. The figures
 * are computed per month end, so a late event or a retraction moves exactly the months it
 * concerns.
 */
export interface FundingState {
  readonly learners: LearnerIndex;
  /** Admission keys (learner and admissionId): what a `PathEnded` closes. */
  readonly paths: PathIndex;
  readonly admissions: LearnerFacts;
  /** Row for row with `admissions`: the path it opens. */
  readonly admissionPath: Column<Int32Array>;
  readonly pathEnds: LearnerFacts;
  /** Row for row with `pathEnds`: the path it closes. */
  readonly endedPath: Column<Int32Array>;
  readonly fundings: LearnerFacts;
  /** Row for row with `fundings`: the index of the funder in `FUNDERS`. */
  readonly funder: Column<Uint8Array>;
}

/** (learner, admissionId) pairs interned to integers; admission ids are free text, so kept as JSON. */
export class PathIndex {
  private byKey: Map<string, number> | undefined;

  constructor(private readonly keys: string[] = []) {}

  get size(): number {
    return this.keys.length;
  }

  intern(learner: number, admissionId: string): number {
    const key = `${learner}\u0000${admissionId}`;
    this.byKey ??= new Map(this.keys.map((k, i) => [k, i]));
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.keys.push(key) - 1;
      this.byKey.set(key, index);
    }
    return index;
  }

  toJson(): string[] {
    return this.keys;
  }
}

const FACTS = literals<'admissions' | 'pathEnds' | 'fundings'>()('admissions', 'pathEnds', 'fundings');

/** The state as stored: `toJson`'s output, given back to `fromJson`. */
interface StoredFunding {
  readonly learners: ReturnType<LearnerIndex['toJson']>;
  readonly paths: string[];
  readonly admissions: ReturnType<LearnerFacts['toJson']>;
  readonly admissionPath: Uint8Array;
  readonly pathEnds: ReturnType<LearnerFacts['toJson']>;
  readonly endedPath: Uint8Array;
  readonly fundings: ReturnType<LearnerFacts['toJson']>;
  readonly funder: Uint8Array;
}

export const fundingProjection = defineProjection({
  name: 'funding',
  version: 4,
  bitemporal: true,
  handles: ['LearnerAdmitted', 'PathEnded', 'FundingGranted'],
  // The retracted event is one of the three kinds: each table is searched by its position.
  retraction: {
    kind: 'retract',
    retract(state: FundingState, retracted, retraction): FundingState {
      for (const facts of FACTS) if (state[facts].retract(retracted.position, retraction.position)) break;
      return state;
    },
  },
  initialState: (): FundingState => ({
    learners: LearnerIndex.empty(),
    paths: new PathIndex(),
    admissions: new LearnerFacts(),
    admissionPath: new Column(Int32Array),
    pathEnds: new LearnerFacts(),
    endedPath: new Column(Int32Array),
    fundings: new LearnerFacts(),
    funder: new Column(Uint8Array),
  }),
  evolve(state, event): FundingState {
    const learner = state.learners.intern(event.learnerId);
    const at = instantOf(event.occurredAt);
    switch (event.type) {
      case 'LearnerAdmitted':
        state.admissions.add(learner, at, event.position);
        state.admissionPath.push(state.paths.intern(learner, event.data.admissionId));
        return state;
      case 'PathEnded':
        state.pathEnds.add(learner, at, event.position);
        state.endedPath.push(state.paths.intern(learner, event.data.admissionId));
        return state;
      case 'FundingGranted':
        state.fundings.add(learner, at, event.position);
        state.funder.push(FUNDERS.indexOf(event.data.funder));
        return state;
    }
  },
  toJson: (state): StoredFunding => ({
    learners: state.learners.toJson(),
    paths: state.paths.toJson(),
    admissions: state.admissions.toJson(),
    admissionPath: state.admissionPath.toJson(),
    pathEnds: state.pathEnds.toJson(),
    endedPath: state.endedPath.toJson(),
    fundings: state.fundings.toJson(),
    funder: state.funder.toJson(),
  }),
  fromJson(stored: StoredFunding): FundingState {
    return {
      learners: LearnerIndex.fromJson(stored.learners),
      paths: new PathIndex(stored.paths),
      admissions: LearnerFacts.fromJson(stored.admissions),
      admissionPath: Column.fromJson(Int32Array, stored.admissionPath),
      pathEnds: LearnerFacts.fromJson(stored.pathEnds),
      endedPath: Column.fromJson(Int32Array, stored.endedPath),
      fundings: LearnerFacts.fromJson(stored.fundings),
      funder: Column.fromJson(Uint8Array, stored.funder),
    };
  },
});

/** Who is in training at the end of a month, by which admissions, and the funding that decides their group. */
interface MonthEnd {
  readonly month: string;
  /** Learners in training (indexes), with the admission rows that are open for them. */
  readonly inTraining: Map<number, number[]>;
  /** Their latest funding row before the month's end; none: self. */
  readonly latestFunding: Map<number, number>;
}

function monthEnds(state: FundingState, period: Period, knownAt = Number.MAX_SAFE_INTEGER): MonthEnd[] {
  const { admissions, pathEnds, fundings } = state;
  // An admission is closed at t once an existing end of its path occurred before t.
  const closedAt = new Float64Array(state.paths.size).fill(Infinity);
  for (let row = 0; row < pathEnds.length; row++) {
    if (!pathEnds.existsAt(row, knownAt)) continue;
    const path = state.endedPath.at(row);
    closedAt[path] = Math.min(closedAt[path] ?? Infinity, pathEnds.atMs.at(row));
  }
  // Fundings in time order (occurredAt to the nanosecond, then position): the last one before t is the latest.
  const byTime: number[] = [];
  for (let row = 0; row < fundings.length; row++) if (fundings.existsAt(row, knownAt)) byTime.push(row);
  byTime.sort((a, b) => (fundings.isLater(a, b) ? 1 : -1));

  return monthsOf(period).map((month) => {
    const t = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1); // the first instant after month M (Date.UTC months are 0-based)
    const inTraining = new Map<number, number[]>();
    for (let row = 0; row < admissions.length; row++) {
      if (admissions.atMs.at(row) >= t || (closedAt[state.admissionPath.at(row)] ?? Infinity) < t || !admissions.existsAt(row, knownAt)) continue;
      const learner = admissions.learner.at(row);
      const open = inTraining.get(learner);
      if (open) open.push(row);
      else inTraining.set(learner, [row]);
    }
    const latestFunding = new Map<number, number>();
    for (const row of byTime) {
      if (fundings.atMs.at(row) >= t) break;
      const learner = fundings.learner.at(row);
      if (inTraining.has(learner)) latestFunding.set(learner, row);
    }
    return { month, inTraining, latestFunding };
  });
}

/** What a funding figure of a month measures: a group, all of them, or the funded share. */
const MEASURES: ReadonlyArray<Group | 'in-training' | 'funded-share'> = ['in-training', 'third-party', 'employment-program', 'self', 'funded-share'];

function groupOf(state: FundingState, fundingRow: number | undefined): Group {
  return fundingRow === undefined ? 'self' : (GROUP_OF_CODE[state.funder.at(fundingRow)] ?? 'self');
}

/**
 * For each month M of the period, at t = the first instant after M: `funding.<M>.in-training`,
 * `.third-party`, `.employment-program`, `.self` and `.funded-share` (exact; null when no
 * learner is in training), as known at a position (every position by default).
 */
export function fundingFigures(state: FundingState, period: Period, knownAt: number): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const { month, inTraining, latestFunding } of monthEnds(state, period, knownAt)) {
    const groups: Record<Group, number> = { 'third-party': 0, 'employment-program': 0, self: 0 };
    for (const learner of inTraining.keys()) groups[groupOf(state, latestFunding.get(learner))] += 1;
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
  const match = /^funding\.(\d{4}-\d{2})\.([a-z-]+)$/.exec(figure);
  const measure = MEASURES.find((m) => m === match?.[2]);
  const monthEnd = match && monthEnds(state, { from: `${match[1]}-01`, to: `${match[1]}-01` }, knownAt)[0];
  if (!measure || !monthEnd) return undefined;
  const positions: number[] = [];
  for (const [learner, rows] of monthEnd.inTraining) {
    const funding = monthEnd.latestFunding.get(learner);
    const group = groupOf(state, funding);
    if (measure !== 'in-training' && measure !== group && !(measure === 'funded-share' && group !== 'self')) continue;
    for (const row of rows) positions.push(state.admissions.position.at(row));
    if (funding !== undefined) positions.push(state.fundings.position.at(funding));
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

/** The funding figures: one set per month of the period, at its end. */
export const fundingCatalogue: readonly FigureDefinition[] = [
  { id: 'funding.{month}.in-training', label: { en: 'in training', fr: 'En formation' }, unit: 'count', counts: { en: 'learners with an admission that occurred before the end of the month and no PathEnded for it before then', fr: 'apprenants ayant une admission survenue avant la fin du mois, sans PathEnded pour elle avant cette date' }, group: GROUPS.funding },
  { id: 'funding.{month}.third-party', label: { en: 'third party', fr: 'Financés par un tiers' }, unit: 'count', counts: { en: 'learners in training at the end of the month whose latest FundingGranted before then is by a third party', fr: 'apprenants en formation à la fin du mois dont le dernier FundingGranted avant cette date vient d\'un tiers' }, group: GROUPS.funding },
  {
    id: 'funding.{month}.employment-program',
    label: { en: 'employment program', fr: "Programme pour l'emploi" },
    unit: 'count',
    counts: {
      en: 'learners in training at the end of the month whose latest FundingGranted before then is by the employment program',
      fr: "apprenants en formation à la fin du mois dont le dernier FundingGranted avant cette date vient du programme pour l'emploi",
    },
    group: GROUPS.funding,
  },
  { id: 'funding.{month}.self', label: { en: 'self', fr: 'Autofinancés' }, unit: 'count', counts: { en: 'learners in training at the end of the month with no funding before then, or whose latest is self', fr: 'apprenants en formation à la fin du mois sans financement avant cette date, ou dont le dernier est self (autofinancement)' }, group: GROUPS.funding },
  {
    id: 'funding.{month}.funded-share',
    label: { en: 'funded share', fr: 'Part des financés' },
    unit: 'share',
    counts: {
      en: '(third-party + employment-program) / in-training at the end of the month; the events of the funded learners',
      fr: '(third-party + employment-program) / in-training à la fin du mois ; les événements des apprenants financés',
    },
    group: GROUPS.funding,
  },
];
