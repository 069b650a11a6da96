import type { Motivation } from '@ledger/events';
import { MOTIVATIONS, STATUSES } from '@ledger/events';
import type { Explanation, FigureContext, FigureDefinition, Period } from '@ledger/projection-kit';
import { inPeriod, periodBounds } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';
import type { Declaration } from '../impact/impact.projection';
import { impactDeclarations, impactProjection } from '../impact/impact.projection';
import type { LearnerActivityState } from '../learner-activity/learner-activity.projection';
import { freeUsersOf } from '../learner-activity/learner-activity.projection';
import { countryCode, learnerProfilesProjection, statusBit, statusesBefore } from '../learner-profiles/learner-profiles.projection';
import { STATUS_LABELS } from '../learner-profiles/populations.figures';

const FRANCE = countryCode('FR');

/** One free user: who, their statuses (bits), their latest survey row, their declarations in the period. */
interface FreeUser {
  readonly learnerId: string;
  readonly assessed: number;
  readonly held: number;
  readonly survey: number;
  readonly declarations: ReadonlyArray<Declaration & { readonly eventId: string }>;
}

/**
 * KPIS.md version 2 "Free users" (recommendation 1: every user of the platform). A family
 * over three read models as known at the same K: who was active and never admitted
 * (learner activity, with each one's latest survey), their statuses (learner profiles) and
 * their declarations (impact). Learner indexes differ between read models: joined by id.
 */
function freeUsers(state: LearnerActivityState, period: Period, knownAt: number, context: FigureContext): FreeUser[] {
  const { free, latest } = freeUsersOf(state, period, knownAt);
  const profiles = context.read(learnerProfilesProjection);
  const { assessed, held } = statusesBefore(profiles, periodBounds(period).endMs, knownAt);
  const declarations = new Map<string, Array<Declaration & { eventId: string }>>();
  for (const declaration of impactDeclarations(context.read(impactProjection), period, knownAt)) {
    declarations.set(declaration.learnerId, [...(declarations.get(declaration.learnerId) ?? []), declaration]);
  }
  const users: FreeUser[] = [];
  for (let learner = 0; learner < free.length; learner++) {
    if (free[learner] !== 1) continue;
    const learnerId = state.learners.idOf(learner);
    const profile = profiles.learners.find(learnerId);
    users.push({
      learnerId,
      assessed: profile === -1 ? 0 : (assessed[profile] ?? 0),
      held: profile === -1 ? 0 : (held[profile] ?? 0),
      survey: latest[learner] ?? -1,
      declarations: declarations.get(learnerId) ?? [],
    });
  }
  return users;
}

const motivationOf = (state: LearnerActivityState, user: FreeUser): Motivation | undefined => (user.survey === -1 ? undefined : MOTIVATIONS[state.surveyMotivation.at(user.survey) - 1]);
const outsideFrance = (state: LearnerActivityState, user: FreeUser): boolean => user.survey !== -1 && state.surveyCountry.at(user.survey) !== FRANCE;

/** Each figure id, in order, with the free users it counts (null: not collected). */
function counted(state: LearnerActivityState, users: readonly FreeUser[]): Array<readonly [string, readonly FreeUser[] | null]> {
  return [
    ['free-users.total', users],
    ['free-users.assessed', users.filter((u) => u.assessed !== 0)],
    ...STATUSES.map((status): readonly [string, readonly FreeUser[] | null] => {
      const bit = statusBit(status);
      return [`free-users.${status}`, users.some((u) => u.assessed & bit) ? users.filter((u) => u.held & bit) : null];
    }),
    ['free-users.disadvantaged', users.filter((u) => u.held !== 0)],
    ['free-users.outside-france', users.filter((u) => outsideFrance(state, u))],
    ...MOTIVATIONS.map((motivation): readonly [string, readonly FreeUser[]] => [`free-users.motivation.${motivation}`, users.filter((u) => motivationOf(state, u) === motivation)]),
    ['impact.free-users', users.filter((u) => u.declarations.length > 0)],
  ];
}

export function freeUsersFigures(state: LearnerActivityState, period: Period, knownAt: number, context: FigureContext): Record<string, number | null> {
  return Object.fromEntries(counted(state, freeUsers(state, period, knownAt, context)).map(([id, users]) => [id, users === null ? null : users.length]));
}

/** The declarations that make `impact.free-users` count each learner (the audit lists them). */
export function freeUserDeclarations(state: LearnerActivityState, period: Period, knownAt: number, context: FigureContext): Array<{ readonly learnerId: string; readonly declarationPositions: readonly number[] }> {
  return freeUsers(state, period, knownAt, context)
    .filter((u) => u.declarations.length > 0)
    .map((u) => ({ learnerId: u.learnerId, declarationPositions: u.declarations.map((d) => d.position) }));
}

/**
 * Provenance: for `impact.free-users`, the declarations that count; for the others, the latest
 * survey of each counted free user (their activity is `key.active-learners`'s provenance).
 */
export function explainFreeUsers(state: LearnerActivityState, period: Period, knownAt: number, figure: string, context: FigureContext): Explanation | undefined {
  const definition = freeUsersCatalogue.find((d) => d.id === figure);
  const entry = counted(state, freeUsers(state, period, knownAt, context)).find(([id]) => id === figure);
  if (!definition || !entry) return undefined;
  const users = entry[1] ?? [];
  const positions =
    figure === 'impact.free-users'
      ? users.flatMap((u) => u.declarations.filter((d) => inPeriod(d.day, period)).map((d) => d.position))
      : users.flatMap((u) => (u.survey === -1 ? [] : [state.surveys.position.at(u.survey)]));
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
