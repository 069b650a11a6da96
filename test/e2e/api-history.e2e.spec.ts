import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { courseStarted, learnerActive, retracted, uuidOf } from '../support/event-builders';

/** GET /years and GET /provenance/events through the real NestJS pipeline: answers, and bad input refused naming its field. */
describe('GET /years and GET /provenance/events over HTTP', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const committee = () => bearer(api.keys.committee);

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2021-01-05T00:00:00Z');
    await http().post('/events').set(bearer(api.keys.ingest)).send([learnerActive(1, 'L1', '2019-05-01T10:00:00Z'), courseStarted(2, 'L1', '2020-03-01T10:00:00Z')]).expect(201);
    api.clock.set('2021-04-01T00:00:00Z');
    await http().post('/events').set(bearer(api.keys.ingest)).send(retracted(3, 'L1', uuidOf(2), '2021-03-30T00:00:00Z')).expect(201);
    api.clock.set('2021-06-01T00:00:00Z');
  });
  afterAll(() => api.close());

  it('gives the years of the log as known at a moment', async () => {
    expect((await http().get('/years').set(committee()).expect(200)).body).toEqual({ knownAt: '2021-06-01T00:00:00.000Z', logPosition: 3, years: [2019, 2020, 2021] });
    expect((await http().get('/years?knownAt=2021-02-01T00:00:00Z').set(committee()).expect(200)).body.years).toEqual([2019, 2020]);
  });

  it('gives the payloads and the retraction with its reason', async () => {
    const res = await http().get('/provenance/events?positions=2,1&knownAt=2021-02-01T00:00:00Z').set(committee()).expect(200);
    expect(res.body.events.map((e: { position: number }) => e.position)).toEqual([1, 2]);
    expect(res.body.events[1]).toMatchObject({ type: 'CourseStarted', data: courseStarted(2, 'L1').data, retraction: { position: 3, reason: 'entered twice', afterKnownAt: true } });
  });

  it.each([
    ['/provenance/events', 'positions'],
    ['/provenance/events?positions=', 'positions'],
    ['/provenance/events?positions=1,x', 'positions'],
    ['/provenance/events?positions=0', 'positions'],
    [`/provenance/events?positions=${Array.from({ length: 201 }, (_, i) => i + 1).join(',')}`, 'positions'],
    ['/provenance/events?positions=1&knownAt=2031-01-01T00:00:00Z', 'knownAt'],
    ['/years?knownAt=yesterday', 'knownAt'],
  ])('refuses %s with 400 naming %s', async (path, field) => {
    const res = await http().get(path).set(committee()).expect(400);
    expect(JSON.stringify(res.body)).toContain(`"${field}"`);
  });

  it('refuses a request without a key', async () => {
    await http().get('/years').expect(401);
  });
});
