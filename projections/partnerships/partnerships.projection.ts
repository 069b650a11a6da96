import type { Funder } from '@ledger/events';
import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { inPeriod, utcDayOf } from '@ledger/projection-kit';
import type { KnownFact } from '@ledger/projection-kit';
import { existsAt, markRetracted } from '@ledger/projection-kit';
import { defineProjection, literals, plainJson } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** The funders of the corporate partnerships lever (KPIS.md), in the report's order. */
export const PARTNERSHIP_FUNDERS = literals<Funder>()('apprenticeship', 'employer', 'employer-abroad', 'pse');
type PartnershipFunder = (typeof PARTNERSHIP_FUNDERS)[number];

interface PartnershipFunding extends KnownFact {
  readonly learnerId: string;
  readonly day: string;
  readonly funder: PartnershipFunder;
  readonly employerId: string;
}

/** Bitemporal: a retraction marks the funding it names. */
export interface PartnershipsState {
  /** Fundings by an employer, by event id. */
  readonly fundings: Record<string, PartnershipFunding>;
}

function isPartnershipFunder(funder: Funder): funder is PartnershipFunder {
  return PARTNERSHIP_FUNDERS.some((f) => f === funder);
}

export const partnershipsProjection = defineProjection({
  name: 'partnerships',
  version: 2,
  bitemporal: true,
  handles: ['FundingGranted', 'EventRetracted'],
  retraction: { kind: 'in-evolve' },
  ...plainJson<PartnershipsState>(),
  initialState: (): PartnershipsState => ({ fundings: {} }),
  evolve(state, event): PartnershipsState {
    if (event.type === 'FundingGranted' && isPartnershipFunder(event.data.funder) && event.data.employerId !== undefined) {
      state.fundings[event.eventId] = {
        learnerId: event.learnerId,
        day: utcDayOf(event.occurredAt),
        funder: event.data.funder,
        employerId: event.data.employerId,
        position: event.position,
        retractedAt: 0,
      };
    } else if (event.type === 'EventRetracted') {
      markRetracted(state.fundings, event.data.retractedEventId, event.position);
    }
    return state;
  },
});

/** `partnerships.<funder>`, `partnerships.total` and `partnerships.partner-employers` for a period. */
export function partnershipsFigures(state: PartnershipsState, period: Period, knownAt: number): Record<string, number> {
  const byFunder = new Map<PartnershipFunder, Set<string>>(PARTNERSHIP_FUNDERS.map((f) => [f, new Set()]));
  const learners = new Set<string>();
  const employers = new Set<string>();
  for (const funding of Object.values(state.fundings)) {
    if (!inPeriod(funding.day, period) || !existsAt(funding, knownAt)) continue;
    byFunder.get(funding.funder)?.add(funding.learnerId);
    learners.add(funding.learnerId);
    employers.add(funding.employerId);
  }
  const figures: Record<string, number> = {};
  for (const funder of PARTNERSHIP_FUNDERS) figures[`partnerships.${funder}`] = byFunder.get(funder)?.size ?? 0;
  figures['partnerships.total'] = learners.size;
  figures['partnerships.partner-employers'] = employers.size;
  return figures;
}

/** Provenance: the fundings by an employer of the period (of one funder for `partnerships.<funder>`). */
export function explainPartnerships(state: PartnershipsState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const funder = /^partnerships\.(.+)$/.exec(figure)?.[1];
  if (funder === undefined) return undefined;
  const all = funder === 'total' || funder === 'partner-employers';
  const positions = Object.values(state.fundings)
    .filter((f) => inPeriod(f.day, period) && existsAt(f, knownAt) && (all || f.funder === funder))
    .map((f) => f.position);
  const rule =
    funder === 'partner-employers'
      ? 'distinct employerIds on FundingGranted events by apprenticeship, employer, employer-abroad or pse that occurred in the period'
      : `distinct learners with a FundingGranted by ${all ? 'apprenticeship, employer, employer-abroad or pse' : funder} that occurred in the period`;
  return { rule, evidence: { kind: 'positions', positions } };
}

const ALL_FUNDERS = 'apprenticeship, employer, employer-abroad or pse';
const ALL_FUNDERS_FR = 'apprenticeship, employer, employer-abroad ou pse';

/** The partnerships figures: learners per funder, in all, and the partner employers. */
export const partnershipsCatalogue: readonly FigureDefinition[] = [
  ...PARTNERSHIP_FUNDERS.map(
    (funder): FigureDefinition => ({
      id: `partnerships.${funder}`,
      label: { en: funder, fr: `Partenariats, ${funder}` },
      unit: 'count',
      counts: { en: `distinct learners with a FundingGranted by ${funder} that occurred in the period`, fr: `apprenants distincts ayant un FundingGranted de ${funder} survenu sur la période` },
      group: GROUPS.partnerships,
    }),
  ),
  { id: 'partnerships.total', label: { en: 'total', fr: 'Partenariats, total' }, unit: 'count', counts: { en: `distinct learners with a FundingGranted by ${ALL_FUNDERS} that occurred in the period`, fr: `apprenants distincts ayant un FundingGranted de ${ALL_FUNDERS_FR} survenu sur la période` }, group: GROUPS.partnerships },
  {
    id: 'partnerships.partner-employers',
    label: { en: 'partner-employers', fr: 'Entreprises partenaires' },
    unit: 'count',
    counts: { en: `distinct employerIds on FundingGranted events by ${ALL_FUNDERS} that occurred in the period`, fr: `employerId distincts des événements FundingGranted de ${ALL_FUNDERS_FR} survenus sur la période` },
    group: GROUPS.partnerships,
  },
];
