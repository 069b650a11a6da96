import type { Instant, Outcome } from '@ledger/events';
import { instantOf, OUTCOMES } from '@ledger/events';
import type { Explanation, FigureContext, FigureDefinition, KnownFact, Period } from '@ledger/projection-kit';
import { defineProjection, existsAt, markRetracted, periodBounds, plainJson } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** An instant as stored: epoch ms and the nanoseconds past it, so "earliest" and "at or before" are exact. */
type At = readonly [ms: number, ns: number];

interface Admission extends KnownFact {
  readonly learnerId: string;
  readonly admissionId: string;
  readonly at: At;
  readonly plannedMonths: number | null;
}

interface PathEnd extends KnownFact {
  /** `learnerId/admissionId`: a PathEnded names an admission of the same learner. */
  readonly admission: string;
  readonly reason: 'graduated' | 'withdrew';
  readonly at: At;
}

interface CohortDeclaration extends KnownFact {
  readonly learnerId: string;
  readonly outcome: Outcome;
  readonly at: At;
}

/**
 * KPIS.md version 2 "Outcomes by admission cohort" (CIRR-style): admissions, their path ends
 * and the learners' declarations, each kept by event id with the position it became known at
 * and the one of its retraction. Bitemporal, so as known at any K from this one state; few
 * events (admissions, ends, declarations), so plain JSON.
 */
export interface OutcomesState {
  readonly admissions: Record<string, Admission>;
  readonly ends: Record<string, PathEnd>;
  readonly declarations: Record<string, CohortDeclaration>;
}

const atOf = (occurredAt: string): At => {
  const instant: Instant = instantOf(occurredAt);
  return [instant.epochMs, instant.subMsNanos];
};
const admissionKey = (learnerId: string, admissionId: string) => `${learnerId}/${admissionId}`;

export const outcomesProjection = defineProjection({
  name: 'outcomes',
  version: 1,
  bitemporal: true,
  handles: ['LearnerAdmitted', 'PathEnded', 'ProfessionalOutcomeReported', 'ApprenticeshipContractSigned', 'EventRetracted'],
  retraction: { kind: 'in-evolve' },
  ...plainJson<OutcomesState>(),
  initialState: (): OutcomesState => ({ admissions: {}, ends: {}, declarations: {} }),
  evolve(state, event): OutcomesState {
    const known = { position: event.position, retractedAt: 0 };
    switch (event.type) {
      case 'LearnerAdmitted':
        state.admissions[event.eventId] = {
          ...known,
          learnerId: event.learnerId,
          admissionId: event.data.admissionId,
          at: atOf(event.occurredAt),
          plannedMonths: event.data.plannedMonths ?? null,
        };
        return state;
      case 'PathEnded':
        state.ends[event.eventId] = { ...known, admission: admissionKey(event.learnerId, event.data.admissionId), reason: event.data.reason, at: atOf(event.occurredAt) };
        return state;
      case 'ProfessionalOutcomeReported':
        state.declarations[event.eventId] = { ...known, learnerId: event.learnerId, outcome: event.data.outcome, at: atOf(event.occurredAt) };
        return state;
      case 'ApprenticeshipContractSigned':
        state.declarations[event.eventId] = { ...known, learnerId: event.learnerId, outcome: 'apprenticeship', at: atOf(event.occurredAt) };
        return state;
      case 'EventRetracted':
        // Whichever of the three it names (one id names at most one of them).
        markRetracted(state.admissions, event.data.retractedEventId, event.position);
        markRetracted(state.ends, event.data.retractedEventId, event.position);
        markRetracted(state.declarations, event.data.retractedEventId, event.position);
        return state;
    }
  },
});

const DAY_MS = 86_400_000;
export const WINDOW_DAYS = 180;

/** a <= b, instants to the nanosecond. */
const atOrBefore = (a: At, b: At) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
/** Earliest by occurredAt, then by position. */
const earlier = (a: { at: At; position: number }, b: { at: At; position: number }) =>
  a.at[0] !== b.at[0] ? a.at[0] < b.at[0] : a.at[1] !== b.at[1] ? a.at[1] < b.at[1] : a.position < b.position;

/**
 * `months` calendar months after an instant, in UTC, keeping the time of day; a day the target
 * month lacks becomes its last day (31 January + 1 month = 29 February 2020). KPIS.md v2.
 */
export function addUtcMonths(epochMs: number, months: number): number {
  const date = new Date(epochMs);
  const target = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const timeOfDay = epochMs - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)) + timeOfDay;
}

/** What one admission of the cohort is, as known at K. */
export interface CohortAdmission {
  readonly eventId: string;
  readonly admission: Admission;
  /** The graduation that counts (the earliest), if any. */
  readonly graduation: (PathEnd & { readonly eventId: string }) | undefined;
  readonly firstEnd: (PathEnd & { readonly eventId: string }) | undefined;
  readonly onTime: boolean;
  readonly within150: boolean;
  readonly windowClosed: boolean;
  /** The declarations in the window (graduated, window closed only), each with its event id. */
  readonly declared: ReadonlyArray<CohortDeclaration & { readonly eventId: string }>;
}

/** The cohort of a period as known at K (a position, and the instant `knownAtMs`), admission by admission, in log order. */
export function cohortOf(state: OutcomesState, period: Period, knownAt: number, knownAtMs: number): CohortAdmission[] {
  const { startMs, endMs } = periodBounds(period);
  const endsOf = new Map<string, Array<PathEnd & { eventId: string }>>();
  for (const [eventId, end] of Object.entries(state.ends)) {
    if (!existsAt(end, knownAt)) continue;
    const list = endsOf.get(end.admission) ?? [];
    list.push({ eventId, ...end });
    endsOf.set(end.admission, list);
  }
  const declarationsOf = new Map<string, Array<CohortDeclaration & { eventId: string }>>();
  for (const [eventId, declaration] of Object.entries(state.declarations)) {
    if (!existsAt(declaration, knownAt)) continue;
    const list = declarationsOf.get(declaration.learnerId) ?? [];
    list.push({ eventId, ...declaration });
    declarationsOf.set(declaration.learnerId, list);
  }
  const cohort: CohortAdmission[] = [];
  const admissions = Object.entries(state.admissions).sort(([, a], [, b]) => a.position - b.position);
  for (const [eventId, admission] of admissions) {
    if (admission.at[0] < startMs || admission.at[0] >= endMs || !existsAt(admission, knownAt)) continue;
    const ends = endsOf.get(admissionKey(admission.learnerId, admission.admissionId)) ?? [];
    const firstOf = (list: ReadonlyArray<PathEnd & { eventId: string }>) => list.reduce<(PathEnd & { eventId: string }) | undefined>((best, e) => (best === undefined || earlier(e, best) ? e : best), undefined);
    const graduation = firstOf(ends.filter((e) => e.reason === 'graduated'));
    const firstEnd = firstOf(ends);
    const planned = admission.plannedMonths;
    let onTime = false;
    let within150 = false;
    if (graduation && planned !== null) {
      onTime = atOrBefore(graduation.at, [addUtcMonths(admission.at[0], planned), admission.at[1]]);
      const extraDays = planned % 2 === 1 ? 15 * DAY_MS : 0;
      within150 = atOrBefore(graduation.at, [addUtcMonths(admission.at[0], Math.floor(1.5 * planned)) + extraDays, admission.at[1]]);
    }
    const windowEnd: At | undefined = graduation ? [graduation.at[0] + WINDOW_DAYS * DAY_MS, graduation.at[1]] : undefined;
    // Closed at K: its end is at or before K. A window still open at K is never "no declaration".
    const windowClosed = windowEnd !== undefined && atOrBefore(windowEnd, [knownAtMs, 0]);
    const declared =
      graduation && windowEnd && windowClosed
        ? (declarationsOf.get(admission.learnerId) ?? []).filter((d) => atOrBefore(graduation.at, d.at) && !atOrBefore(windowEnd, d.at))
        : [];
    cohort.push({ eventId, admission, graduation, firstEnd, onTime, within150, windowClosed, declared });
  }
  return cohort;
}

/** The figure ids of the family, in order, each with the admissions it counts. */
function counted(cohort: readonly CohortAdmission[]): Array<readonly [string, readonly CohortAdmission[]]> {
  const closed = cohort.filter((c) => c.windowClosed);
  return [
    ['outcomes.cohort.admissions', cohort],
    ['outcomes.cohort.planned', cohort.filter((c) => c.admission.plannedMonths !== null)],
    ['outcomes.cohort.graduated', cohort.filter((c) => c.graduation !== undefined)],
    ['outcomes.cohort.graduated-on-time', cohort.filter((c) => c.onTime)],
    ['outcomes.cohort.graduated-150', cohort.filter((c) => c.within150)],
    ['outcomes.cohort.withdrew', cohort.filter((c) => c.firstEnd?.reason === 'withdrew')],
    ['outcomes.cohort.window-closed', closed],
    ['outcomes.cohort.declared-180', closed.filter((c) => c.declared.length > 0)],
    ...OUTCOMES.map((outcome): readonly [string, readonly CohortAdmission[]] => [
      `outcomes.cohort.declared-180.${outcome}`,
      closed.filter((c) => c.declared.some((d) => d.outcome === outcome)),
    ]),
    ['outcomes.cohort.no-declaration-180', closed.filter((c) => c.declared.length === 0)],
  ];
}

/** Every figure of the family for the cohort of the period, as known at K: counts of admissions. */
export function outcomesFigures(state: OutcomesState, period: Period, knownAt: number, context: FigureContext): Record<string, number> {
  return Object.fromEntries(counted(cohortOf(state, period, knownAt, context.knownAtMs)).map(([id, admissions]) => [id, admissions.length]));
}

/**
 * Provenance: the admissions counted, their graduations where one counts, and for the
 * declared-180 figures the declarations that count (each in its learner's window): a
 * declared outcome is never inferred.
 */
export function explainOutcomes(state: OutcomesState, period: Period, knownAt: number, figure: string, context: FigureContext): Explanation | undefined {
  const entry = counted(cohortOf(state, period, knownAt, context.knownAtMs)).find(([id]) => id === figure);
  const definition = outcomesCatalogue.find((d) => d.id === figure);
  if (!entry || !definition) return undefined;
  const outcome = /^outcomes\.cohort\.declared-180\.(.+)$/.exec(figure)?.[1];
  const positions: number[] = [];
  for (const c of entry[1]) {
    positions.push(c.admission.position);
    if (c.graduation && !NO_GRADUATION_IN.has(figure)) positions.push(c.graduation.position);
    if (figure === 'outcomes.cohort.withdrew' && c.firstEnd) positions.push(c.firstEnd.position);
    if (figure.startsWith('outcomes.cohort.declared-180')) for (const d of c.declared) if (outcome === undefined || d.outcome === outcome) positions.push(d.position);
  }
  return { rule: definition.counts.en, evidence: { kind: 'positions', positions: [...new Set(positions)].sort((a, b) => a - b) } };
}

/** The figures whose provenance needs no graduation: the others name the one that counts. */
const NO_GRADUATION_IN = new Set(['outcomes.cohort.admissions', 'outcomes.cohort.planned', 'outcomes.cohort.withdrew']);

/** The declarations that make `outcomes.cohort.declared-180*` count each admission (the audit lists them). */
export function cohortDeclarations(state: OutcomesState, period: Period, knownAt: number, knownAtMs: number): Array<{ readonly learnerId: string; readonly admissionEventId: string; readonly declarationPositions: readonly number[] }> {
  return cohortOf(state, period, knownAt, knownAtMs)
    .filter((c) => c.declared.length > 0)
    .map((c) => ({ learnerId: c.admission.learnerId, admissionEventId: c.eventId, declarationPositions: c.declared.map((d) => d.position) }));
}

const OUTCOME_LABELS: Record<Outcome, { en: string; fr: string }> = {
  'new-job': { en: 'new job', fr: 'nouvel emploi' },
  promotion: { en: 'promotion', fr: 'promotion' },
  'business-created': { en: 'business created', fr: "création d'entreprise" },
  apprenticeship: { en: 'apprenticeship', fr: 'alternance' },
};

const cohortFigure = (id: string, en: string, fr: string, counts: { en: string; fr: string }, partOf?: string): FigureDefinition => ({
  id: `outcomes.cohort.${id}`,
  label: { en, fr },
  unit: 'count',
  counts: {
    en: `${counts.en} (the cohort: LearnerAdmitted events that occurred in the period; a learner admitted twice counts twice)`,
    fr: `${counts.fr} (la cohorte : les événements LearnerAdmitted survenus sur la période ; un apprenant admis deux fois compte deux fois)`,
  },
  group: GROUPS.outcomes,
  ...(partOf ? { partOf: `outcomes.cohort.${partOf}` } : {}),
});

/** The outcomes-by-cohort figures, in KPIS.md's order. */
export const outcomesCatalogue: readonly FigureDefinition[] = [
  cohortFigure('admissions', 'admissions in the cohort', 'admissions de la cohorte', { en: 'admissions in the cohort', fr: 'admissions de la cohorte' }),
  cohortFigure('planned', 'with a planned length', 'avec une durée prévue', { en: 'admissions of the cohort with plannedMonths', fr: 'admissions de la cohorte ayant un plannedMonths' }, 'admissions'),
  cohortFigure('graduated', 'graduated', 'diplômés', { en: 'admissions with a PathEnded of reason graduated, as known at K', fr: 'admissions ayant un PathEnded de motif graduated, tel que connu à K' }, 'admissions'),
  cohortFigure(
    'graduated-on-time',
    'graduated on time',
    'diplômés dans les temps',
    { en: 'planned admissions graduated at or before admission + plannedMonths calendar months (UTC)', fr: "admissions à durée prévue diplômées au plus tard à l'admission + plannedMonths mois civils (UTC)" },
    'planned',
  ),
  cohortFigure(
    'graduated-150',
    'graduated within 150 % of the time',
    'diplômés en 150 % du temps',
    {
      en: 'planned admissions graduated at or before admission + ⌊1.5 × plannedMonths⌋ months, + 15 days when plannedMonths is odd',
      fr: "admissions à durée prévue diplômées au plus tard à l'admission + ⌊1,5 × plannedMonths⌋ mois, + 15 jours si plannedMonths est impair",
    },
    'planned',
  ),
  cohortFigure('withdrew', 'withdrew', 'abandons', { en: 'admissions whose first PathEnded (by occurredAt, then position) says withdrew', fr: 'admissions dont le premier PathEnded (par occurredAt, puis position) dit withdrew' }, 'admissions'),
  cohortFigure(
    'window-closed',
    '180-day window closed at K',
    'fenêtre de 180 jours close à K',
    { en: 'graduated admissions whose window (graduation to graduation + 180 days) ends at or before K', fr: "admissions diplômées dont la fenêtre (du diplôme au diplôme + 180 jours) s'achève au plus tard à K" },
    'graduated',
  ),
  cohortFigure(
    'declared-180',
    'declared an outcome within 180 days',
    'résultat déclaré sous 180 jours',
    {
      en: 'window-closed graduated admissions whose learner declared an outcome (ProfessionalOutcomeReported or ApprenticeshipContractSigned) in the window',
      fr: "admissions diplômées à fenêtre close dont l'apprenant a déclaré un résultat (ProfessionalOutcomeReported ou ApprenticeshipContractSigned) dans la fenêtre",
    },
    'window-closed',
  ),
  ...OUTCOMES.map((outcome) =>
    cohortFigure(
      `declared-180.${outcome}`,
      OUTCOME_LABELS[outcome].en,
      OUTCOME_LABELS[outcome].fr,
      { en: `window-closed graduated admissions whose learner declared ${outcome} in the window`, fr: `admissions diplômées à fenêtre close dont l'apprenant a déclaré ${outcome} dans la fenêtre` },
      'declared-180',
    ),
  ),
  cohortFigure(
    'no-declaration-180',
    'no declaration within 180 days (not a placement)',
    'aucune déclaration sous 180 jours (pas un placement)',
    { en: 'window-closed graduated admissions with no declaration in the window: never counted as placed', fr: 'admissions diplômées à fenêtre close sans déclaration dans la fenêtre : jamais comptées comme placées' },
    'window-closed',
  ),
];
