import type { Audience } from '@ledger/events';
import { AUDIENCES } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { utcDayOf } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
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
    counts: { en: `the sum of recipients of OutreachCampaignSent events that occurred in the period with audience ${audience}`, fr: `la somme des destinataires des événements OutreachCampaignSent survenus sur la période, public ${audience}` },
    group: GROUPS.awareness,
  }),
);
