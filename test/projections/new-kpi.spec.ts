import { join } from 'node:path';
import { EventIngestor } from '../../libs/ingest/src/event-ingestor';
import { catalogueOf } from '../../libs/projections/src/figure-catalogue';
import { computeReport, definitionsOf } from '../../libs/projections/src/figure-report';
import { explainFigure } from '../../libs/projections/src/explain';
import { SqliteProjectionStateStore } from '../../libs/projections/src/sqlite-projection-state.store';
import { formatReport } from '../../apps/cli/src/report-format';
import { graduationsSource } from '../../docs/examples/graduations/graduations.projection';
import { FIGURE_SOURCES } from '../../projections/figures';
import { admitted, pathEnded } from '../support/event-builders';
import { ManualClock } from '../contract/event-store.contract';
import { tempSqliteStore } from '../support/temp-sqlite';

/**
 * A new KPI is one folder and one line in the registry: the example of
 * docs/adding-a-projection.md, registered here as that line would, shows in the report
 * (json, table, csv), in explain (with its catalogue's rule) and in the catalogue the API
 * serves, with no other edit.
 */
describe('a KPI registered with one line (the graduations example)', () => {
  const year2020 = { from: '2020-01-01', to: '2020-12-31' };
  const sources = [...FIGURE_SOURCES, graduationsSource];
  const clock = new ManualClock();
  const ledger = tempSqliteStore(clock.now);
  const states = new SqliteProjectionStateStore(join(ledger.dir, 'read-models.db'));
  const now = '2021-03-15T00:00:00.000Z';

  beforeAll(async () => {
    clock.set('2021-01-05T00:00:00Z');
    await new EventIngestor(ledger.store, clock.now).ingest([admitted(1, 'a', 'A1'), admitted(2, 'b', 'B1'), pathEnded(3, 'a', 'A1')]);
  });
  afterAll(async () => {
    await states.close();
    await ledger.dispose();
  });

  it('is in the report json, the table (its group and labels) and the csv', async () => {
    const report = await computeReport(ledger.store, states, sources, { period: year2020, now });
    const graduates = report.figures['graduations.graduates'];
    expect(graduates).toBe(1);
    const json = JSON.parse(formatReport(report, 'json', definitionsOf(sources))) as typeof report;
    expect(json.figures['graduations.paths-ended.graduated']).toBe(1);
    const table = formatReport(report, 'table', definitionsOf(sources));
    expect(table).toMatch(/\nGRADUATIONS\n {2}graduates +1\n {2}paths ended, graduated +1\n {2}paths ended, withdrew +0$/);
    expect(table).not.toContain('OTHER FIGURES');
    expect(formatReport(report, 'csv', definitionsOf(sources)).split('\n')).toEqual(expect.arrayContaining(['graduations.graduates,1', 'graduations.paths-ended.withdrew,0']));
  });

  it('is explained, with the rule its catalogue gives, and listed in the catalogue the API serves', async () => {
    const provenance = await explainFigure(ledger.store, states, sources, { figure: 'graduations.graduates', period: year2020, now });
    expect(provenance.value).toBe(1);
    expect(provenance.events.map((e) => e.position)).toEqual([3]);
    const entry = catalogueOf(definitionsOf(sources), year2020).figures.find((f) => f.id === 'graduations.graduates');
    expect(entry).toEqual({ id: 'graduations.graduates', label: { en: 'graduates', fr: 'diplômés' }, unit: 'count', counts: provenance.rule, group: 'graduations' });
  });
});
