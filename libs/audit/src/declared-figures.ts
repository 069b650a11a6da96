import type { Evidence, Figures, FigureSource, KnownStates, Period } from '@ledger/projection-kit';
import { explainFrom } from '@ledger/projection-kit';
import type { EventStore } from '@ledger/store';
import { eventsAt } from './explain-change';

/** One figure of KPIS.md v2 that counts people by their declarations, checked against the events its provenance names. */
export interface DeclaredFigureCheck {
  readonly figure: string;
  readonly value: number | null | undefined;
  readonly ok: boolean;
  /** Each counted learner with the declarations (their positions) that count for them. */
  readonly learners: ReadonlyArray<{ readonly learnerId: string; readonly declarations: readonly number[] }>;
  /** Event types in the provenance that are neither declarations nor what the figure counts (must be none). */
  readonly otherEvidenceTypes: readonly string[];
  /** What the figure counts that the provenance gives no declaration for (must be none). */
  readonly undeclared: number;
}

const DECLARATIONS = new Set(['ProfessionalOutcomeReported', 'ApprenticeshipContractSigned']);

/**
 * The figures of KPIS.md v2 that must rest on declarations alone (no impact by default):
 * `impact.free-users` counts learners, each with a declaration in the provenance;
 * `outcomes.cohort.declared-180*` count admissions (with their graduations), each learner
 * with a declaration in the provenance. Nothing else may be named as evidence.
 */
export function declaredFigureIds(figures: Figures): string[] {
  return Object.keys(figures).filter((id) => id === 'impact.free-users' || id === 'outcomes.cohort.declared-180' || id.startsWith('outcomes.cohort.declared-180.'));
}

export async function checkDeclaredFigures(store: EventStore, sources: readonly FigureSource[], known: KnownStates, period: Period, figures: Figures): Promise<DeclaredFigureCheck[]> {
  const checks: DeclaredFigureCheck[] = [];
  for (const figure of declaredFigureIds(figures)) {
    const source = sources.find((s) => s.catalogue.some((d) => d.id === figure));
    const evidence: Evidence | undefined = source ? explainFrom(source, known, period, figure)?.evidence : undefined;
    const value = figures[figure];
    if (evidence?.kind !== 'positions') {
      checks.push({ figure, value, ok: false, learners: [], otherEvidenceTypes: [], undeclared: value ?? 0 });
      continue;
    }
    const events = [...(await eventsAt(store, new Set(evidence.positions))).values()];
    const byLearner = new Map<string, number[]>();
    for (const event of events) {
      if (DECLARATIONS.has(event.type) && typeof event.learnerId === 'string') byLearner.set(event.learnerId, [...(byLearner.get(event.learnerId) ?? []), event.position]);
    }
    const counts = figure === 'impact.free-users' ? new Set(['ProfessionalOutcomeReported', 'ApprenticeshipContractSigned']) : new Set(['LearnerAdmitted', 'PathEnded']);
    const otherEvidenceTypes = [...new Set(events.filter((e) => !DECLARATIONS.has(e.type) && !counts.has(e.type)).map((e) => e.type))];
    // What is counted: learners for impact.free-users, admissions for the cohort figures.
    const countedLearners = figure === 'impact.free-users' ? [...byLearner.keys()] : events.filter((e) => e.type === 'LearnerAdmitted').map((e) => e.learnerId ?? '');
    const undeclared = countedLearners.filter((learnerId) => !byLearner.has(learnerId)).length;
    const ok = otherEvidenceTypes.length === 0 && undeclared === 0 && countedLearners.length === (value ?? 0);
    checks.push({ figure, value, ok, learners: [...byLearner].map(([learnerId, declarations]) => ({ learnerId, declarations })), otherEvidenceTypes, undeclared });
  }
  return checks;
}
