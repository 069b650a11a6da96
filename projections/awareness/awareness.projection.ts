import type { Audience } from '../../libs/events/src/catalog';
import { AUDIENCES } from '../../libs/events/src/catalog';
import type { DailyCounts } from '../../libs/projections/src/daily-counts';
import { addToDay, sumOverPeriod } from '../../libs/projections/src/daily-counts';
import type { Explanation } from '../../libs/projections/src/explain';
import { eventsInPeriod } from '../../libs/projections/src/explain';
import type { Period } from '../../libs/projections/src/period';
import { utcDayOf } from '../../libs/projections/src/period';
import { defineProjection, plainJson } from '../../libs/projections/src/projection';
import type { FigureDefinition } from '../../libs/projections/src/figure-catalogue';
import { GROUPS } from '../display-groups';

/** Recipients of outreach campaigns, by UTC day and audience (KPIS.md awareness lever). */
export interface AwarenessState {
  readonly recipientsByDay: DailyCounts<Audience>;
}

export const awarenessProjection = defineProjection({
  name: 'awareness',
  version: 1,
  // Campaigns are not learner events: no retraction can name them (EVENTS.md).
  handles: ['OutreachCampaignSent'],
  retraction: { kind: 'none' },
  bitemporal: false,
  ...plainJson<AwarenessState>(),
  initialState: (): AwarenessState => ({ recipientsByDay: {} }),
  evolve(state, event): AwarenessState {
    addToDay(state.recipientsByDay, utcDayOf(event.occurredAt), event.data.audience, event.data.recipients);
    return state;
  },
});

/** `awareness.recipients.<audience>` for a period. */
export function awarenessFigures(state: AwarenessState, period: Period): Record<string, number> {
  const totals = sumOverPeriod(state.recipientsByDay, AUDIENCES, period);
  return Object.fromEntries(AUDIENCES.map((a) => [`awareness.recipients.${a}`, totals.of(a)]));
}

/** Provenance: the campaigns of the period sent to that audience, whose recipients are summed. */
export function explainAwareness(_state: AwarenessState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  const audience = /^awareness\.recipients\.(.+)$/.exec(figure)?.[1];
  if (audience === undefined) return undefined;
  return {
    rule: `the sum of recipients of OutreachCampaignSent events that occurred in the period with audience ${audience}`,
    evidence: eventsInPeriod(['OutreachCampaignSent'], period, (e) => e.type === 'OutreachCampaignSent' && e.data.audience === audience),
  };
}

const AUDIENCE_FR: Record<Audience, string> = {
  all: 'tous publics',
  'job-seeker': "demandeurs d'emploi",
  'low-qualified': 'personnes peu qualifiées',
  'qpv-resident': 'personnes vivant en QPV',
  disability: 'en situation de handicap',
  refugee: 'réfugiés',
};

/** The awareness figures: recipients of outreach, one per audience. */
export const awarenessCatalogue: readonly FigureDefinition[] = AUDIENCES.map(
  (audience): FigureDefinition => ({
    id: `awareness.recipients.${audience}`,
    label: { en: audience, fr: `Destinataires, ${AUDIENCE_FR[audience]}` },
    unit: 'count',
    counts: `the sum of recipients of OutreachCampaignSent events that occurred in the period with audience ${audience}`,
    group: GROUPS.awareness,
  }),
);
