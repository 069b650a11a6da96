import { join } from 'node:path';
import request from 'supertest';
import { QueryBus } from '@nestjs/cqrs';
import { ExplainQuery } from '@ledger/application';
import { ReportQuery } from '@ledger/application';
import { listEvents } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import { EventIngestor } from '@ledger/ingest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { courseStarted, learnerActive, retracted, uuidOf } from '../support/event-builders';
import { runCli } from '../support/run-cli';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const MOMENTS = ['2021-03-15T00:00:00.000Z', '2021-04-02T00:00:00.000Z'];
const FIGURE = 'key.courses-started';

/**
 * `ledger report` / `ledger explain` and `GET /reports` / `GET /figures/{id}/explain` are
 * two shells over one handler each (ReportQuery, ExplainQuery): on the same ledger, the
 * compiled CLI, the HTTP API and the handler called through the QueryBus give one answer.
 */
describe('the CLI and the HTTP API answer report and explain from the same handlers', () => {
  let api: ApiUnderTest;
  let ledgerDb: string;
  const http = () => request(api.app.getHttpServer());
  // The CLI keeps read models of its own: the answer must not depend on whose they are.
  const cli = (args: string[]) => runCli(args, ledgerDb, { READ_MODELS_DB: join(api.files.dir, 'cli-read-models.db') });

  beforeAll(async () => {
    api = await startApi();
    ledgerDb = `sqlite:${join(api.files.dir, 'ledger.db')}`;
    const ingestor = new EventIngestor(api.store, api.clock.now);
    api.clock.set('2021-01-10T12:00:00Z');
    await ingestor.ingest([learnerActive(1, 'a'), courseStarted(2, 'a', '2020-02-01T00:00:00Z'), courseStarted(3, 'a', '2020-02-01T00:00:01Z')]);
    api.clock.set('2021-04-01T00:00:00Z');
    await ingestor.ingest([retracted(4, 'a', uuidOf(3))]);
    api.clock.set('2021-06-01T00:00:00Z');
  });
  afterAll(() => api?.close());

  it.each(MOMENTS)('report as known at %s', async (knownAt) => {
    const byHandler = await api.app.get(QueryBus).execute(new ReportQuery({ period: parsePeriod(YEAR.from, YEAR.to), knownAt, now: api.clock.now().toISOString() }));
    const byHttp = (await http().get('/reports').query({ ...YEAR, knownAt }).set(bearer(api.keys.committee)).expect(200)).body;
    const run = cli(['report', '--from', YEAR.from, '--to', YEAR.to, '--known-at', knownAt, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(byHttp).toEqual(JSON.parse(JSON.stringify(byHandler)));
    expect(JSON.parse(run.stdout)).toEqual(byHttp);
    expect(byHttp.figures[FIGURE]).toBe(knownAt === MOMENTS[0] ? 2 : 1);
  });

  it.each(MOMENTS)('explain as known at %s', async (knownAt) => {
    const opened = await api.app.get(QueryBus).execute(new ExplainQuery({ figure: FIGURE, period: parsePeriod(YEAR.from, YEAR.to), knownAt, now: api.clock.now().toISOString() }));
    const { events } = await listEvents(opened.pages());
    const byHttp = (await http().get(`/figures/${FIGURE}/explain`).query({ ...YEAR, knownAt }).set(bearer(api.keys.committee)).expect(200)).body;
    const run = cli(['explain', FIGURE, '--from', YEAR.from, '--to', YEAR.to, '--known-at', knownAt, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(byHttp);
    expect(byHttp).toMatchObject({ ...JSON.parse(JSON.stringify(opened.head)), eventCount: events.length });
    expect(byHttp.events).toEqual(JSON.parse(JSON.stringify(events)));
  });
});
