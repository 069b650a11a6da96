import type { Outcome } from '@ledger/events';
import { OUTCOMES } from '@ledger/events';
import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { inPeriod, utcDayOf } from '@ledger/projection-kit';
import type { KnownFact } from '@ledger/projection-kit';
import { existsAt, markRetracted } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** One declaration: a reported outcome (with its evidence) or a signed apprenticeship contract. */
export interface Declaration extends KnownFact {
  readonly learnerId: string;
  readonly day: string;
  readonly outcome: Outcome;
  readonly evidence: { readonly kind: 'survey-response' | 'signed-contract'; readonly reference: string };
}

/**
 * KPIS.md "Impact": only declarations count. No other event type is even handled here, so
 * nothing else (a graduation, a certificate, an admission, a funding) can ever be impact.
 * Bitemporal: a retraction marks the declaration it names, so the figures answer as known
 * at any position from this one state.
 */
export interface ImpactState {
  /** Declarations, by event id. */
  readonly declarations: Record<string, Declaration>;
}

export const impactProjection = defineProjection({
  name: 'impact',
  version: 2,
  bitemporal: true,
  handles: ['ProfessionalOutcomeReported', 'ApprenticeshipContractSigned', 'EventRetracted'],
  retraction: { kind: 'in-evolve' },
  ...plainJson<ImpactState>(),
  initialState: (): ImpactState => ({ declarations: {} }),
  evolve(state, event): ImpactState {
    switch (event.type) {
      case 'ProfessionalOutcomeReported':
        state.declarations[event.eventId] = {
          learnerId: event.learnerId,
          day: utcDayOf(event.occurredAt),
          outcome: event.data.outcome,
          position: event.position,
          retractedAt: 0,
          evidence: event.data.evidence,
        };
        return state;
      case 'ApprenticeshipContractSigned':
        state.declarations[event.eventId] = {
          learnerId: event.learnerId,
          day: utcDayOf(event.occurredAt),
          outcome: 'apprenticeship',
          position: event.position,
          retractedAt: 0,
          evidence: { kind: 'signed-contract', reference: event.data.contractId },
        };
        return state;
      case 'EventRetracted':
        markRetracted(state.declarations, event.data.retractedEventId, event.position);
        return state;
    }
  },
});

/** `impact.positive-progressions` and `impact.by-outcome.<outcome>`: distinct learners with a declaration in the period. */
export function impactFigures(state: ImpactState, period: Period, knownAt: number): Record<string, number> {
  const all = new Set<string>();
  const byOutcome = new Map<Outcome, Set<string>>(OUTCOMES.map((o) => [o, new Set()]));
  for (const declaration of Object.values(state.declarations)) {
    if (!inPeriod(declaration.day, period) || !existsAt(declaration, knownAt)) continue;
    all.add(declaration.learnerId);
    byOutcome.get(declaration.outcome)?.add(declaration.learnerId);
  }
  const figures: Record<string, number> = { 'impact.positive-progressions': all.size };
  for (const outcome of OUTCOMES) figures[`impact.by-outcome.${outcome}`] = byOutcome.get(outcome)?.size ?? 0;
  return figures;
}

/** The declarations that make the impact figures of a period (provenance), in log order. */
export function impactDeclarations(state: ImpactState, period: Period, knownAt?: number): Array<Declaration & { readonly eventId: string }> {
  return Object.entries(state.declarations)
    .filter(([, d]) => inPeriod(d.day, period) && existsAt(d, knownAt))
    .map(([eventId, d]) => ({ eventId, ...d }))
    .sort((a, b) => a.position - b.position);
}

/** Provenance: the declarations of the period (of one outcome for `impact.by-outcome.<outcome>`). */
export function explainImpact(state: ImpactState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const declarations = impactDeclarations(state, period, knownAt);
  if (figure === 'impact.positive-progressions') {
    return {
      rule: 'distinct learners with a declaration (ProfessionalOutcomeReported, or ApprenticeshipContractSigned) that occurred in the period; nothing else is ever impact',
      evidence: { kind: 'positions', positions: declarations.map((d) => d.position) },
    };
  }
  const outcome = /^impact\.by-outcome\.(.+)$/.exec(figure)?.[1];
  if (outcome === undefined) return undefined;
  return {
    rule: `distinct learners with a declaration of outcome ${outcome} that occurred in the period`,
    evidence: { kind: 'positions', positions: declarations.filter((d) => d.outcome === outcome).map((d) => d.position) },
  };
}

const OUTCOME_FR: Record<Outcome, string> = {
  'new-job': 'Nouvel emploi',
  promotion: 'Promotion',
  'business-created': "Création d'entreprise",
  apprenticeship: 'Contrat en alternance',
};

/** The impact figures: positive progressions, and per outcome. */
export const impactCatalogue: readonly FigureDefinition[] = [
  {
    id: 'impact.positive-progressions',
    label: { en: 'positive professional progressions (declared or signed only)', fr: 'Progressions professionnelles positives (déclarées ou signées)' },
    unit: 'count',
    counts: {
      en: 'distinct learners with a declaration (ProfessionalOutcomeReported, or ApprenticeshipContractSigned) that occurred in the period; nothing else is ever impact',
      fr: "apprenants distincts ayant une déclaration (ProfessionalOutcomeReported, ou ApprenticeshipContractSigned) survenue sur la période ; rien d'autre n'est jamais de l'impact",
    },
    group: GROUPS.impact,
  },
  ...OUTCOMES.map(
    (outcome): FigureDefinition => ({
      id: `impact.by-outcome.${outcome}`,
      label: { en: outcome, fr: OUTCOME_FR[outcome] },
      unit: 'count',
      counts: { en: `distinct learners with a declaration of outcome ${outcome} that occurred in the period`, fr: `apprenants distincts ayant une déclaration de résultat ${outcome} survenue sur la période` },
      group: GROUPS.impact,
    }),
  ),
];
