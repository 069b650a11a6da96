import type { Motivation } from '@ledger/events';
import { MOTIVATIONS, STATUSES } from '@ledger/events';
import type { Explanation, FigureDefinition, Period } from '@ledger/projection-kit';
import { periodBounds } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';
import type { LearnerActivityState } from '../learner-activity/learner-activity.projection';
import { factsIn, freeUsersOf, statusesOf } from '../learner-activity/learner-activity.projection';
import { countryCode, statusBit } from '../learner-profiles/learner-profiles.projection';
import { STATUS_LABELS } from '../learner-profiles/populations.figures';

const FRANCE = countryCode('FR');

/**
 * The free users of a period as known at K, by learner index of the activity read model: who
 * they are, their statuses (bits), their latest survey row and their declarations in the period.
 */
interface FreeUsers {
  /** The free users' learner indexes, ascending. */
  readonly learners: Int32Array;
  readonly assessed: Uint8Array;
  readonly held: Uint8Array;
  /** By learner index: the row of the latest survey before the period's end, or -1. */
  readonly survey: Int32Array;
  /** The declaration rows of the period that exist at K, in log order. */
  readonly declarations: readonly number[];
  /** By learner index: 1 for a learner with at least one of `declarations`. */
  readonly declared: Uint8Array;
}

/**
 * KPIS.md version 2 "Free users" (recommendation 1: every user of the platform): who was
 * active and never admitted, with their latest survey, their statuses and their declarations,
 * all as known at the same K. Everything is in the learner activity read model, under one
 * learner index: the family counts, it does not join read models by learner id.
 */
function freeUsers(state: LearnerActivityState, period: Period, knownAt: number): FreeUsers {
  const { free, latest } = freeUsersOf(state, period, knownAt);
  const { assessed, held } = statusesOf(state, periodBounds(period).endMs, knownAt);
  const declarations = factsIn(state.declarations, period, knownAt);
  const declared = new Uint8Array(state.learners.size);
  for (const row of declarations) declared[state.declarations.learner.at(row)] = 1;
  let count = 0;
  for (let learner = 0; learner < free.length; learner++) count += free[learner] ?? 0;
  const learners = new Int32Array(count);
  for (let learner = 0, i = 0; learner < free.length; learner++) if (free[learner] === 1) learners[i++] = learner;
  return { learners, assessed, held, survey: latest, declarations, declared };
}

/** Whether a learner index of the activity read model is counted by a figure. */
type Counts = (learner: number) => boolean;

/** Each figure id, in order, with what it counts among free users (null: not collected). */
function counted(state: LearnerActivityState, users: FreeUsers): Array<readonly [string, Counts | null]> {
  const { assessed, held, survey, declared } = users;
  const motivationOf = (learner: number): Motivation | undefined => {
    const row = survey[learner] ?? -1;
    return row === -1 ? undefined : MOTIVATIONS[state.surveyMotivation.at(row) - 1];
  };
  const outsideFrance: Counts = (learner) => {
    const row = survey[learner] ?? -1;
    return row !== -1 && state.surveyCountry.at(row) !== FRANCE;
  };
  // One pass for the statuses a free user was assessed for: a status nobody was asked about is null.
  let assessedAny = 0;
  for (const learner of users.learners) assessedAny |= assessed[learner] ?? 0;
  return [
    ['free-users.total', () => true],
    ['free-users.assessed', (learner) => (assessed[learner] ?? 0) !== 0],
    ...STATUSES.map((status): readonly [string, Counts | null] => {
      const bit = statusBit(status);
      return [`free-users.${status}`, (assessedAny & bit) !== 0 ? (learner) => ((held[learner] ?? 0) & bit) !== 0 : null];
    }),
    ['free-users.disadvantaged', (learner) => (held[learner] ?? 0) !== 0],
    ['free-users.outside-france', outsideFrance],
    ...MOTIVATIONS.map((motivation): readonly [string, Counts] => [`free-users.motivation.${motivation}`, (learner) => motivationOf(learner) === motivation]),
    ['impact.free-users', (learner) => declared[learner] === 1],
  ];
}

export function freeUsersFigures(state: LearnerActivityState, period: Period, knownAt: number): Record<string, number | null> {
  const { learners, assessed, held, survey, declared } = freeUsers(state, period, knownAt);
  // One pass over the free users (millions at full scale) for every count; `counted` says the same, figure by figure, for provenance.
  let assessedAny = 0;
  let assessedCount = 0;
  let disadvantaged = 0;
  let outsideFrance = 0;
  let withDeclaration = 0;
  const byStatus = STATUSES.map(() => 0);
  const byMotivation = new Array<number>(MOTIVATIONS.length + 1).fill(0);
  const bits = STATUSES.map(statusBit);
  for (const learner of learners) {
    const assessedBits = assessed[learner] ?? 0;
    const heldBits = held[learner] ?? 0;
    assessedAny |= assessedBits;
    if (assessedBits !== 0) assessedCount += 1;
    if (heldBits !== 0) {
      disadvantaged += 1;
      for (let i = 0; i < bits.length; i++) if ((heldBits & (bits[i] ?? 0)) !== 0) byStatus[i] = (byStatus[i] ?? 0) + 1;
    }
    const row = survey[learner] ?? -1;
    if (row !== -1) {
      if (state.surveyCountry.at(row) !== FRANCE) outsideFrance += 1;
      const motivation = state.surveyMotivation.at(row);
      byMotivation[motivation] = (byMotivation[motivation] ?? 0) + 1;
    }
    if (declared[learner] === 1) withDeclaration += 1;
  }
  const figures: Record<string, number | null> = { 'free-users.total': learners.length, 'free-users.assessed': assessedCount };
  STATUSES.forEach((status, i) => (figures[`free-users.${status}`] = (assessedAny & (bits[i] ?? 0)) !== 0 ? (byStatus[i] ?? 0) : null));
  figures['free-users.disadvantaged'] = disadvantaged;
  figures['free-users.outside-france'] = outsideFrance;
  // The motivation column holds 1 + its index in MOTIVATIONS (0: none given).
  MOTIVATIONS.forEach((motivation, i) => (figures[`free-users.motivation.${motivation}`] = byMotivation[i + 1] ?? 0));
  figures['impact.free-users'] = withDeclaration;
  return figures;
}

/** The declarations that make `impact.free-users` count each learner (the audit lists them). */
export function freeUserDeclarations(state: LearnerActivityState, period: Period, knownAt: number): Array<{ readonly learnerId: string; readonly declarationPositions: readonly number[] }> {
  const users = freeUsers(state, period, knownAt);
  const byLearner = new Map<number, number[]>();
  for (const row of users.declarations) {
    const learner = state.declarations.learner.at(row);
    byLearner.set(learner, [...(byLearner.get(learner) ?? []), state.declarations.position.at(row)]);
  }
  return [...users.learners]
    .filter((learner) => byLearner.has(learner))
    .map((learner) => ({ learnerId: state.learners.idOf(learner), declarationPositions: byLearner.get(learner) ?? [] }));
}

/**
 * Provenance: for `impact.free-users`, the declarations that count; for the others, the latest
 * survey of each counted free user (their activity is `key.active-learners`'s provenance).
 */
export function explainFreeUsers(state: LearnerActivityState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const definition = freeUsersCatalogue.find((d) => d.id === figure);
  if (!definition) return undefined;
  const users = freeUsers(state, period, knownAt);
  const entry = counted(state, users).find(([id]) => id === figure);
  if (!entry) return undefined;
  const counts = entry[1] ?? (() => false);
  const free = new Uint8Array(state.learners.size);
  for (const learner of users.learners) free[learner] = 1;
  const positions: number[] = [];
  if (figure === 'impact.free-users') {
    for (const row of users.declarations) if (free[state.declarations.learner.at(row)] === 1) positions.push(state.declarations.position.at(row));
  } else {
    for (const learner of users.learners) {
      const row = users.survey[learner] ?? -1;
      if (row !== -1 && counts(learner)) positions.push(state.surveys.position.at(row));
    }
  }
  return { rule: definition.counts.en, evidence: { kind: 'positions', positions: [...new Set(positions)].sort((a, b) => a - b) } };
}

const FREE = 'free users (active in a month of the period, no LearnerAdmitted before its end)';
const FREE_FR = 'utilisateurs gratuits (actifs un mois de la période, sans LearnerAdmitted avant sa fin)';
const free = (en: string, fr: string) => ({ en: `${FREE}${en}`, fr: `${FREE_FR}${fr}` });
const MOTIVATION_FR: Record<Motivation, string> = {
  'first-job': 'premier emploi',
  'career-development': 'évolution de carrière',
  'career-change': 'reconversion',
  'learning-for-fun': 'apprendre pour le plaisir',
  'training-colleagues': 'former des collègues',
  other: 'autre',
};
const freeFigure = (id: string, en: string, fr: string, counts: { en: string; fr: string }, partOf?: string): FigureDefinition => ({
  id,
  label: { en, fr },
  unit: 'count',
  counts,
  group: GROUPS.freeUsers,
  ...(partOf ? { partOf } : {}),
});

export const freeUsersCatalogue: readonly FigureDefinition[] = [
  freeFigure('free-users.total', 'free users', 'utilisateurs gratuits', free('', '')),
  freeFigure('free-users.assessed', 'statuses asked', 'statuts renseignés', free(' whose assessed(L) is not empty', ' dont assessed(L) n\'est pas vide'), 'free-users.total'),
  ...STATUSES.map((status) =>
    freeFigure(
      `free-users.${status}`,
      STATUS_LABELS[status].en,
      STATUS_LABELS[status].fr,
      free(` holding ${status}; null when no free user was assessed for it`, ` ayant le statut ${status} ; null si aucun utilisateur gratuit n'a été interrogé sur ce statut`),
      'free-users.total',
    ),
  ),
  freeFigure('free-users.disadvantaged', 'of the five groups', 'des cinq publics', free(' holding at least one status', ' ayant au moins un statut'), 'free-users.total'),
  freeFigure(
    'free-users.outside-france',
    'outside France',
    'hors de France',
    free(" whose latest SignupSurveyAnswered before the period's end gives a country other than FR", ' dont le dernier SignupSurveyAnswered avant la fin de la période donne un pays autre que FR'),
    'free-users.total',
  ),
  ...MOTIVATIONS.map((motivation) =>
    freeFigure(
      `free-users.motivation.${motivation}`,
      `motivation: ${motivation}`,
      `motivation : ${MOTIVATION_FR[motivation]}`,
      free(` whose latest survey's motivation is ${motivation}`, ` dont la motivation du dernier questionnaire est ${motivation}`),
      'free-users.total',
    ),
  ),
  freeFigure(
    'impact.free-users',
    'free users with a declared progression',
    'utilisateurs gratuits avec une progression déclarée',
    free(' with at least one declaration in the period; nothing else is ever impact', " ayant au moins une déclaration sur la période ; rien d'autre n'est jamais de l'impact"),
    'free-users.total',
  ),
];
