import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { periodBounds } from '@ledger/projection-kit';
import type { LearnerProfilesState } from './learner-profiles.projection';
import { ADMISSION, countryCode, statusBit, statusesBefore, SURVEY } from './learner-profiles.projection';
import { rowPositions } from './populations.figures';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

const FRANCE = countryCode('FR');

/** The learners behind the international figures of a period, as known at a position, as learner indexes. */
export function internationalLearners(
  state: LearnerProfilesState,
  period: Period,
  knownAt: number,
): {
  admitted: Set<number>;
  outsideFrance: Set<number>;
  english: Set<number>;
  englishUnderemployed: Set<number>;
  /** The positions of the events that give these learners their country. */
  countryRows: (of: Set<number>) => number[];
} {
  const { startMs, endMs } = periodBounds(period);
  const { facts } = state;
  const admitted = new Set<number>();
  const english = new Set<number>();
  for (let row = 0; row < facts.length; row++) {
    if (state.kind.at(row) !== ADMISSION) continue;
    const atMs = facts.atMs.at(row);
    if (atMs < startMs || atMs >= endMs || !facts.existsAt(row, knownAt)) continue;
    admitted.add(facts.learner.at(row));
    if (state.english.at(row) === 1) english.add(facts.learner.at(row));
  }
  // Country: of the latest admission giving one before the end, else of the latest survey.
  const latest = { [ADMISSION]: new Map<number, number>(), [SURVEY]: new Map<number, number>() };
  for (let row = 0; row < facts.length; row++) {
    const kind = state.kind.at(row);
    if ((kind !== ADMISSION && kind !== SURVEY) || state.country.at(row) === 0) continue;
    const learner = facts.learner.at(row);
    if (!admitted.has(learner) || facts.atMs.at(row) >= endMs || !facts.existsAt(row, knownAt)) continue;
    const byLearner = latest[kind];
    const best = byLearner.get(learner);
    if (best === undefined || facts.isLater(row, best)) byLearner.set(learner, row);
  }
  const outsideFrance = new Set<number>();
  for (const learner of admitted) {
    const row = latest[ADMISSION].get(learner) ?? latest[SURVEY].get(learner);
    if (row !== undefined && state.country.at(row) !== FRANCE) outsideFrance.add(learner);
  }
  const { held } = statusesBefore(state, endMs, knownAt);
  const englishUnderemployed = new Set([...english].filter((learner) => ((held[learner] ?? 0) & statusBit('job-seeker')) !== 0));
  const countryRows = (of: Set<number>) =>
    [...of].flatMap((learner) => {
      const row = latest[ADMISSION].get(learner) ?? latest[SURVEY].get(learner);
      return row === undefined ? [] : [facts.position.at(row)];
    });
  return { admitted, outsideFrance, english, englishUnderemployed, countryRows };
}

/**
 * `international.admitted-learners`, `.admitted-outside-france`, `.english-path-learners`
 * and `.english-path-underemployed` (KPIS.md).
 */
export function internationalFigures(state: LearnerProfilesState, period: Period, knownAt: number): Record<string, number> {
  const learners = internationalLearners(state, period, knownAt);
  return {
    'international.admitted-learners': learners.admitted.size,
    'international.admitted-outside-france': learners.outsideFrance.size,
    'international.english-path-learners': learners.english.size,
    'international.english-path-underemployed': learners.englishUnderemployed.size,
  };
}

/** Provenance: the admissions of the period of the learners counted, and the event giving their country or job-seeker status. */
export function explainInternational(state: LearnerProfilesState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const learners = internationalLearners(state, period, knownAt);
  const { startMs, endMs } = periodBounds(period);
  const admissionsInPeriod = (of: Set<number>, englishOnly: boolean) =>
    rowPositions(state, of, endMs, knownAt, (row) => state.kind.at(row) === ADMISSION && state.facts.atMs.at(row) >= startMs && (!englishOnly || state.english.at(row) === 1));
  switch (figure) {
    case 'international.admitted-learners':
      return { rule: 'distinct learners with a LearnerAdmitted in the period', evidence: { kind: 'positions', positions: admissionsInPeriod(learners.admitted, false) } };
    case 'international.admitted-outside-france':
      return {
        rule: 'admitted learners whose country (of their latest admission giving one before the end, else of their latest signup survey) is known and not FR',
        evidence: { kind: 'positions', positions: [...admissionsInPeriod(learners.outsideFrance, false), ...learners.countryRows(learners.outsideFrance)] },
      };
    case 'international.english-path-learners':
      return { rule: 'distinct learners with a LearnerAdmitted in the period on an English path', evidence: { kind: 'positions', positions: admissionsInPeriod(learners.english, true) } };
    case 'international.english-path-underemployed':
      return {
        rule: 'English-path learners of the period holding job-seeker by an event before its end',
        evidence: {
          kind: 'positions',
          positions: [
            ...admissionsInPeriod(learners.englishUnderemployed, true),
            ...rowPositions(state, learners.englishUnderemployed, endMs, knownAt, (row) => (state.held.at(row) & statusBit('job-seeker')) !== 0),
          ],
        },
      };
    default:
      return undefined;
  }
}

/** The international figures. */
export const internationalCatalogue: readonly FigureDefinition[] = [
  { id: 'international.admitted-learners', label: { en: 'admitted-learners', fr: 'Apprenants admis' }, unit: 'count', counts: { en: 'distinct learners with a LearnerAdmitted in the period', fr: 'apprenants distincts ayant un LearnerAdmitted sur la période' }, group: GROUPS.international },
  {
    id: 'international.admitted-outside-france',
    label: { en: 'admitted-outside-france', fr: 'Admis hors de France' },
    unit: 'count',
    counts: {
      en: 'admitted learners whose country (of their latest admission giving one before the end, else of their latest signup survey) is known and not FR',
      fr: "apprenants admis dont le pays (celui de leur dernière admission qui en donne un avant la fin, sinon celui de leur dernier questionnaire d'inscription) est connu et n'est pas FR",
    },
    group: GROUPS.international,
  },
  { id: 'international.english-path-learners', label: { en: 'english-path-learners', fr: 'Apprenants en parcours anglais' }, unit: 'count', counts: { en: 'distinct learners with a LearnerAdmitted in the period on an English path', fr: 'apprenants distincts ayant un LearnerAdmitted sur la période dans un parcours en anglais' }, group: GROUPS.international },
  {
    id: 'international.english-path-underemployed',
    label: { en: 'english-path-underemployed', fr: "Parcours anglais, demandeurs d'emploi" },
    unit: 'count',
    counts: { en: 'English-path learners of the period holding job-seeker by an event before its end', fr: "apprenants en parcours anglais de la période ayant le statut job-seeker (demandeur d'emploi) par un événement antérieur à sa fin" },
    group: GROUPS.international,
  },
];
