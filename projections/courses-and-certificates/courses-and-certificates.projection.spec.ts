import type { CertificateEarned, CourseStarted, OutreachCampaignSent } from '@ledger/events';
import { campaignSent, courseStarted, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { awarenessFigures, awarenessProjection } from '../awareness/awareness.projection';
import { coursesAndCertificatesFigures, coursesAndCertificatesProjection } from './courses-and-certificates.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
const certificate = (n: number, learnerId: string, occurredAt: string): CertificateEarned => ({
  eventId: uuidOf(n),
  type: 'CertificateEarned',
  learnerId,
  occurredAt,
  data: { certificateId: `X${n}`, courseId: 'C1' },
});

describe('courses-and-certificates projection (key figures)', () => {
  it('counts certificates and courses by theme, and the exact monthly average', async () => {
    const web: CourseStarted = { ...courseStarted(3, 'b', '2020-05-01T00:00:00Z'), data: { courseId: 'W', theme: 'web-development' } };
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        courseStarted(1, 'a', '2020-01-01T00:00:00Z'),
        courseStarted(2, 'a', '2020-12-31T23:00:00-01:00'), // 2021-01-01 in UTC: not in 2020
        web,
        certificate(4, 'a', '2020-06-01T00:00:00Z'),
      ])
      .knownAt('2021-03-15T00:00:00Z', coursesAndCertificatesProjection, (s) => coursesAndCertificatesFigures(s, year2020));
    expect(figures).toMatchObject({
      'key.certificates': 1,
      'key.courses-started': 2,
      'key.courses-started.data': 1,
      'key.courses-started.web-development': 1,
      'key.courses-started.design': 0,
      'key.courses-started.monthly-avg': 2 / 12,
    });
  });

  it('takes back a course start retracted as entered twice, as known after the retraction', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [courseStarted(1, 'a', '2020-02-01T00:00:00Z'), courseStarted(2, 'a', '2020-02-01T00:00:01Z')])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'a', uuidOf(2))]);
    const at = (k: string) => scenario.knownAt(k, coursesAndCertificatesProjection, (s) => coursesAndCertificatesFigures(s, year2020));
    expect((await at('2021-03-15T00:00:00Z'))['key.courses-started']).toBe(2);
    expect((await at('2021-04-01T00:00:00Z'))['key.courses-started']).toBe(1);
  });
});

describe('awareness projection', () => {
  it('sums the recipients of the campaigns of the period by audience', async () => {
    const all: OutreachCampaignSent = { ...campaignSent(2, '2020-09-01T00:00:00Z'), data: { campaignId: 'K2', audience: 'all', channel: 'ads', recipients: 5 } };
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [campaignSent(1, '2020-04-01T00:00:00Z'), all, campaignSent(3, '2019-04-01T00:00:00Z')])
      .knownAt('2021-03-15T00:00:00Z', awarenessProjection, (s) => awarenessFigures(s, year2020));
    expect(figures).toMatchObject({ 'awareness.recipients.job-seeker': 1200, 'awareness.recipients.all': 5, 'awareness.recipients.refugee': 0 });
  });
});
