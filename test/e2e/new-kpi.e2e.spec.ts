import type { DynamicModule, INestApplication, INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createApp } from '../../apps/api/src/create-app';
import type { CliIo } from '../../apps/cli/src/cli-io';
import { explainCommand } from '../../apps/cli/src/commands/explain.command';
import { reportCommand } from '../../apps/cli/src/commands/report.command';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { EventIngestor } from '@ledger/ingest';
import type { FigureProvenance } from '@ledger/projection-runtime';
import type { FigureCatalogue } from '@ledger/projection-kit';
import type { FigureSource } from '@ledger/projection-kit';
import type { ReportDocument } from '@ledger/projection-runtime';
import { ApplicationModule } from '@ledger/application';
import { FigureRegistryModule } from '@ledger/projection-runtime';
import { ProjectionsModule } from '@ledger/projection-runtime';
import { EventStoreModule } from '@ledger/store';
import { openEventStore } from '@ledger/store';
import { graduationsCatalogue, graduationsSource } from '../../docs/examples/graduations/graduations.projection';
import { FIGURE_SOURCES } from '@ledger/projections';
import { ManualClock } from '../contract/event-store.contract';
import type { HeadlessChromium } from '../support/browser';
import { describeWithChromium, launchChromium } from '../support/browser';
import { admitted, pathEnded } from '../support/event-builders';

const YEAR_2020 = { from: '2020-01-01', to: '2020-12-31' };
/** projections/figures.ts's families and the example of docs/adding-a-projection.md: the one line a new KPI adds. */
const SOURCES: readonly FigureSource[] = [...FIGURE_SOURCES, graduationsSource];

/** A ledger with two admissions and one graduation in 2020: `graduations.graduates` is 1. */
async function ledgerWithAGraduation(dir: string): Promise<string> {
  const ledgerDb = `sqlite:${join(dir, 'ledger.db')}`;
  const clock = new ManualClock(new Date('2021-01-05T00:00:00Z'));
  const store = await openEventStore(ledgerDb, { create: true, clock: clock.now });
  await new EventIngestor(store, clock.now).ingest([admitted(1, 'a', 'A1'), admitted(2, 'b', 'B1'), pathEnded(3, 'a', 'A1')]);
  await store.close();
  return ledgerDb;
}

/**
 * A new KPI is one folder plus one line in the registry, and then it appears everywhere:
 * the example of docs/adding-a-projection.md, registered through the registry the CLI and
 * the API take (FigureRegistryModule), shows in the report json, table and csv, in explain,
 * in the API's report, catalogue and provenance, and on the dashboard, in Chromium.
 */
describe('a KPI registered with one line (the graduations example)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-new-kpi-'));
  let ledgerDb: string;
  beforeAll(async () => {
    ledgerDb = await ledgerWithAGraduation(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('in the CLI (report json, table, csv; explain)', () => {
    let cli: INestApplicationContext;
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };

    beforeAll(async () => {
      // The reading commands' module (apps/cli/src/reading-cli.module.ts), with the registry given.
      @Module({})
      class ReadingCliWithGraduations {
        static forRoot(): DynamicModule {
          return {
            module: ReadingCliWithGraduations,
            imports: [
              EventStoreModule.forRoot({ ledgerDb, create: false }),
              ProjectionsModule.forRoot({ readModelsDb: join(dir, 'cli-read-models.db') }),
              FigureRegistryModule.forRoot(SOURCES),
              ApplicationModule.forRoot(),
            ],
          };
        }
      }
      cli = await NestFactory.createApplicationContext(ReadingCliWithGraduations.forRoot(), { logger: false });
    });
    afterAll(async () => cli.close());

    const report = async (format: string) => {
      out.length = 0;
      expect(await reportCommand(cli, { ...YEAR_2020, format }, io)).toBe(0);
      return out.join('\n');
    };

    it('reports it as json, csv and in a table section of its own, with the catalogue labels', async () => {
      const json = JSON.parse(await report('json')) as ReportDocument;
      expect(json.figures).toMatchObject({ 'graduations.graduates': 1, 'graduations.paths-ended.graduated': 1, 'graduations.paths-ended.withdrew': 0 });
      expect((await report('csv')).split('\n')).toEqual(expect.arrayContaining(['graduations.graduates,1', 'graduations.paths-ended.graduated,1', 'graduations.paths-ended.withdrew,0']));
      const table = await report('table');
      expect(table).toMatch(/\n\nGRADUATIONS\n {2}graduates +1\n {2}paths ended, graduated +1\n {2}paths ended, withdrew +0$/);
      expect(table).not.toContain('OTHER FIGURES');
      expect(err).toEqual([]);
    });

    it('explains it, with the rule its catalogue gives and the event that makes it', async () => {
      const stream = new PassThrough();
      const chunks: string[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
      expect(await explainCommand(cli, 'graduations.graduates', { ...YEAR_2020, format: 'json' }, io, stream)).toBe(0);
      const provenance = JSON.parse(chunks.join('')) as FigureProvenance;
      expect(provenance).toMatchObject({ figure: 'graduations.graduates', value: 1, rule: graduationsCatalogue[0]?.counts.en, eventCount: 1 });
      expect(provenance.events.map((e) => e.position)).toEqual([3]);
    });
  });

  describe('in the API and on the dashboard', () => {
    let app: INestApplication;
    let base: string;
    let key: string;
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${key}` } });
      expect([path, res.status]).toEqual([path, 200]);
      return (await res.json()) as T;
    };

    beforeAll(async () => {
      const files = { readModelsDb: join(dir, 'api-read-models.db'), apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'requests.log') };
      app = await createApp({ ledgerDb, ...files, figures: SOURCES });
      await app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
      key = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'Committee member', role: 'committee' }, new Date())).key;
    });
    afterAll(async () => app?.close());

    it('answers it in GET /reports, GET /figures (the catalogue) and its provenance', async () => {
      const report = await get<ReportDocument>(`/reports?${new URLSearchParams(YEAR_2020).toString()}`);
      expect(report.figures['graduations.graduates']).toBe(1);
      const catalogue = await get<FigureCatalogue>(`/figures?${new URLSearchParams(YEAR_2020).toString()}`);
      expect(catalogue.groups).toContainEqual({ id: 'graduations', title: { en: 'Graduations', fr: 'Fins de parcours' } });
      expect(catalogue.figures.filter((f) => f.group === 'graduations').map((f) => f.id)).toEqual(['graduations.graduates', 'graduations.paths-ended.graduated', 'graduations.paths-ended.withdrew']);
      // Every figure the report gives is in the catalogue, in the report's order, and the catalogue names no other.
      expect(catalogue.figures.map((f) => f.id)).toEqual(Object.keys(report.figures));
      const provenance = await get<FigureProvenance>(`/figures/graduations.graduates/explain?${new URLSearchParams(YEAR_2020).toString()}`);
      expect(provenance).toMatchObject({ value: 1, rule: graduationsCatalogue[0]?.counts.en, eventCount: 1 });
    });

    describeWithChromium('the dashboard, in Chromium')('the dashboard, in Chromium', () => {
      let chromium: HeadlessChromium;
      beforeAll(async () => {
        chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
      }, 60_000);
      afterAll(async () => chromium?.close());

      it('shows it, with its group and label from the catalogue, in English and in French, leading to its provenance', async () => {
        const page = await chromium.newPage();
        await page.goto(`${base}/`);
        await page.fill('#key', key);
        await page.click('#login-form button[type=submit]');
        const link = '#all-figures [data-group="graduations"] a[data-figure="graduations.graduates"]';
        await page.waitForSelector(link);
        expect(await page.getAttribute(link, 'data-value')).toBe('1');
        expect(await page.textContent('#all-figures [data-group="graduations"] h3')).toBe('Graduations');
        const labels = () => page.$$eval('#all-figures [data-group="graduations"] dt', (dts) => dts.map((dt) => dt.textContent));
        expect(await labels()).toEqual(['graduates', 'paths ended, graduated', 'paths ended, withdrew']);
        // Every figure of the catalogue is drawn in that section, once.
        const drawn = await page.$$eval('#all-figures a[data-figure]', (links) => links.map((a) => a.getAttribute('data-figure')));
        const catalogue = await get<FigureCatalogue>(`/figures?${new URLSearchParams(YEAR_2020).toString()}`);
        expect(drawn).toEqual(catalogue.figures.map((f) => f.id));

        await page.click('button[data-lang="fr"]');
        await page.locator('#all-figures [data-group="graduations"] h3', { hasText: 'Fins de parcours' }).waitFor();
        expect(await labels()).toEqual(['diplômés', 'parcours terminés, diplômés', 'parcours terminés, abandons']);

        await page.click(link);
        await page.locator('#prov-value', { hasText: '1' }).waitFor();
        // What it counts, in the page's language (French, chosen above): the catalogue's words.
        expect(await page.textContent('#prov-rule')).toBe(graduationsCatalogue[0]?.counts.fr);
        await page.close();
      });
    });
  });
});
