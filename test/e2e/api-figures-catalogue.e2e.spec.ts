import request from 'supertest';
import type { FigureCatalogue } from '@ledger/projection-kit';
import { EventIngestor } from '@ledger/ingest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, commitmentSet, learnerActive } from '../support/event-builders';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const PUBLISHED_AT = '2021-03-15T00:00:00.000Z';
const funded = { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 } as const;

/**
 * `GET /figures` lists every figure id of the period's report, the committee's commitments
 * included: their ids and labels exist only in the log, so the catalogue reads them as known
 * at the moment asked.
 */
describe('GET /figures: the catalogue with the commitments of the log, as known at a moment', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApi();
    const ingestor = new EventIngestor(api.store, api.clock.now);
    api.clock.set('2021-01-10T12:00:00Z');
    await ingestor.ingest([admitted(1, 'a', 'A1', '2020-03-02T09:00:00+01:00'), learnerActive(2, 'a'), commitmentSet(3, 'funded', funded)]);
    // Revised after publication: a higher target, a new label.
    api.clock.set('2021-06-01T00:00:00Z');
    const revised = commitmentSet(4, 'funded', { ...funded, value: 0.75 });
    await ingestor.ingest([{ ...revised, data: { ...revised.data, label: { fr: '75 % d’étudiants financés', en: '75% of learners funded' } } }]);
    api.clock.set('2021-07-01T00:00:00Z');
  });
  afterAll(() => api?.close());

  const catalogueAt = async (knownAt?: string) =>
    (await http()
      .get('/figures')
      .query({ ...YEAR, ...(knownAt ? { knownAt } : {}) })
      .set(bearer(api.keys.committee))
      .expect(200)).body as FigureCatalogue & { knownAt: string; logPosition: number };

  it('lists the commitment figures with their labels as known at the moment asked, and every figure id of the report, in its order', async () => {
    for (const [knownAt, label] of [
      [PUBLISHED_AT, { en: 'Commitment funded', fr: 'Engagement funded' }],
      [undefined, { en: '75% of learners funded', fr: '75 % d’étudiants financés' }],
    ] as const) {
      const catalogue = await catalogueAt(knownAt);
      const commitments = catalogue.figures.filter((f) => f.group === 'commitments');
      expect(commitments.map((f) => f.id)).toEqual(['target', 'baseline', 'actual', 'attained'].map((part) => `commitments.funded.${part}`));
      expect(commitments[0]?.label).toEqual(label);
      expect(catalogue.groups.map((g) => g.id)).toContain('commitments');
      const report = (await http().get('/reports').query({ ...YEAR, ...(knownAt ? { knownAt } : {}) }).set(bearer(api.keys.committee)).expect(200)).body as { figures: Record<string, unknown>; logPosition: number };
      expect(catalogue.figures.map((f) => f.id)).toEqual(Object.keys(report.figures));
      expect(catalogue.logPosition).toBe(report.logPosition);
    }
    // Before the commitment was recorded, and for a period without its year's 1 January: none.
    expect((await catalogueAt('2021-01-01T00:00:00Z')).figures.filter((f) => f.group === 'commitments')).toEqual([]);
    const march = (await http().get('/figures').query({ from: '2020-03-01', to: '2020-12-31' }).set(bearer(api.keys.committee)).expect(200)).body as FigureCatalogue;
    expect(march.figures.filter((f) => f.group === 'commitments')).toEqual([]);
  });

  it('refuses a knownAt in the future or not RFC 3339, naming the field', async () => {
    for (const knownAt of ['2031-01-01T00:00:00Z', '2021-03-15']) {
      const res = await http().get('/figures').query({ ...YEAR, knownAt }).set(bearer(api.keys.committee)).expect(400);
      expect(JSON.stringify(res.body)).toContain('knownAt');
    }
  });
});
