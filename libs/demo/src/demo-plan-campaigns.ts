/** Awareness: the outreach campaigns of 2019-2020, with their recipients by audience. */
import type { LedgerEvent, Status } from '@ledger/events';
import type { PlanContext } from './demo-plan-context';
import { DAY, MONTHS, PARIS, dayIndex, formatInstant } from './demo-time';

/** Records an event on a recording day (the plan's events by day). */
export type AddEvent = (day: number, ms: number, event: LedgerEvent) => void;

/**
 * Outreach: Pole emploi's sourcing e-mails to job seekers from April 2020 (170,000 in all),
 * monthly newsletters, partner campaigns with disability, QPV and refugee associations.
 */
export function emitCampaigns(ctx: PlanContext, add: AddEvent): void {
  const s = ctx.design.scale;
  const campaign = (ms: number, audience: 'all' | Status, channel: 'email' | 'ads' | 'partner', recipients: number) => {
    const year = new Date(ms).getUTCFullYear();
    add(dayIndex(ms), ms, {
      eventId: ctx.idRng.uuid(),
      type: 'OutreachCampaignSent',
      occurredAt: formatInstant(ms, PARIS),
      data: { campaignId: `CMP-${year}-${String(ctx.next(`cmp${year}`)).padStart(3, '0')}`, audience, channel, recipients },
    });
  };
  const mondays: number[] = [];
  for (let day = Date.UTC(2020, 3, 6); day < Date.UTC(2020, 11, 15); day += 7 * DAY) mondays.push(day);
  const weights = mondays.map(() => 0.5 + ctx.rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  let left = ctx.design.jobSeekerRecipients2020;
  mondays.forEach((day, i) => {
    const share = Math.round((ctx.design.jobSeekerRecipients2020 * (weights[i] ?? 1)) / total);
    const recipients = i === mondays.length - 1 ? left : Math.min(left, share);
    left -= recipients;
    campaign(ctx.businessTime(day), 'job-seeker', 'email', recipients);
  });
  for (let m = 0; m < MONTHS; m += 1) {
    const day = Date.UTC(2019 + Math.floor(m / 12), m % 12, 3 + ctx.rng.int(5));
    campaign(ctx.businessTime(day), 'all', 'email', Math.round((1_800_000 + m * 25_000 + ctx.rng.int(200_000)) * s));
  }
  // [year, first month, month step, count, audience, channel, recipients from, to]: a 2019 Pole emploi pilot, then partners.
  const others = [
    [2019, 8, 1, 3, 'job-seeker', 'email', 4000, 8000],
    [2020, 1, 2, 5, 'disability', 'partner', 800, 2500],
    [2020, 2, 3, 4, 'refugee', 'partner', 150, 400],
    [2020, 8, 1, 3, 'qpv-resident', 'partner', 1000, 3000],
  ] as const;
  for (const [year, month, step, count, audience, channel, lo, hi] of others) {
    for (let i = 0; i < count; i += 1) {
      const day = Date.UTC(year, month + step * i, 5 + ctx.rng.int(15));
      campaign(ctx.businessTime(day), audience, channel, Math.round((lo + ctx.rng.int(hi - lo)) * s));
    }
  }
}
