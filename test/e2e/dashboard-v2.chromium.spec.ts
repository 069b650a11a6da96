import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../apps/api/src/create-app';
import type { CommitmentsView } from '@ledger/application';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE, createApiKey } from '@ledger/auth';
import type { LedgerEvent } from '@ledger/events';
import { importRecordedBatches, ReplayClock } from '@ledger/ingest';
import type { ReportDocument } from '@ledger/projection-runtime';
import { openEventStore } from '@ledger/store';
import { validateEnvironment } from '@ledger/config';
import type { HeadlessChromium } from '../support/browser';
import { describeWithChromium, launchChromium } from '../support/browser';
import { commitmentOn, missionScope2020Activity, uuidOf } from '../support/event-builders';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const YEAR_2020 = { from: '2020-01-01', to: '2020-12-31' };
/** Before the revision of the funding commitment (recorded 2021-04-01), after the first batch (2021-01-10). */
const MOMENT_A = '2021-02-01T00:00:00.000Z';

/** v1.1 events for 2020 (mentors, cohorts, free users, commitments), then the funding commitment revised in April 2021. */
function batches(): Array<{ recordedAt: string; events: LedgerEvent[] }> {
  return [
    {
      recordedAt: '2021-01-10T00:00:00Z',
      events: [
        commitmentOn(1, 'funded', 'funding', { fr: '60 % d’étudiants financés', en: '60% of learners funded' }, { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 }),
        commitmentOn(2, 'awareness', 'awareness', { fr: 'Notoriété +20 %', en: 'Awareness +20%' }, { figure: 'awareness.recipients.refugee', kind: 'growth-at-least', value: 0.2 }),
        ...missionScope2020Activity(),
      ],
    },
    {
      recordedAt: '2021-04-01T00:00:00Z',
      // The committee raises the funding target: the same commitment id, set again.
      events: [commitmentOn(20, 'funded', 'funding', { fr: '75 % d’étudiants financés', en: '75% of learners funded' }, { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.75 })],
    },
  ];
}

function apiFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-dashboard-v2-'));
  const ledgerDb = `sqlite:${join(dir, 'ledger.db')}`;
  return { dir, ledgerDb, options: { ledgerDb, readModelsDb: join(dir, 'read-models.db'), apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'requests.log'), environment: validateEnvironment({ ...process.env, LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem') }) } };
}

describe('the dashboard holds no target: every lever target comes from GET /commitments', () => {
  const files = apiFiles();
  let app: INestApplication;
  beforeAll(async () => {
    await (await openEventStore(files.ledgerDb, { create: true })).close();
    app = await createApp(files.options);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  it('sends no target text or number in its scripts', async () => {
    for (const file of ['/assets/i18n.js', '/assets/dashboard.js', '/assets/charts.js', '/']) {
      const text = (await request(app.getHttpServer()).get(file).expect(200)).text;
      // The 2020 targets the page once wrote out: 60 % funded, +20 %, +25 %.
      expect([file, /(60|\+20|\+25)\s?%/.exec(text)?.[0]]).toEqual([file, undefined]);
      // charts.js's axis has a 0.6 gridline; the words and the page's logic have no target number.
      if (file !== '/assets/charts.js') expect([file, /\b0\.6\b/.exec(text)?.[0]]).toEqual([file, undefined]);
    }
  });
});

describeWithChromium('Dashboard v2 browser tests')('the dashboard in Chromium: the KPIS v2 sections over a ledger of v1.1 events, at two moments', () => {
  const files = apiFiles();
  let app: INestApplication;
  let base: string;
  let key: string;
  let chromium: HeadlessChromium;
  let page: Page;

  async function get<T>(path: string, query: Record<string, string>): Promise<T> {
    const res = await fetch(`${base}${path}?${new URLSearchParams(query).toString()}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }
  const report = (knownAt?: string) => get<ReportDocument>('/reports', { ...YEAR_2020, ...(knownAt ? { knownAt } : {}) });
  const commitments = (knownAt?: string) => get<CommitmentsView>('/commitments', { ...YEAR_2020, ...(knownAt ? { knownAt } : {}) });

  /** The figures shown in `scope`, by id, as their data-value. */
  async function shown(scope: string): Promise<Map<string, string>> {
    const pairs = await page.$$eval(`${scope} a[data-figure]`, (links) => links.map((a) => [a.getAttribute('data-figure') ?? '', a.getAttribute('data-value') ?? '']));
    // `prev:<id>` and `year:<yyyy>:<id>` are figures of other periods (the year before, the years of the log).
    return new Map(pairs.filter(([id]) => !/^(prev|year):/.test(id)) as Array<[string, string]>);
  }
  const asShown = (value: number | null | undefined) => (value === null ? 'null' : value === undefined ? '' : String(value));
  async function expectShownAsReported(scope: string, expected: ReportDocument, minimum: number): Promise<void> {
    const figures = await shown(scope);
    expect(figures.size).toBeGreaterThanOrEqual(minimum);
    for (const [id, value] of figures) expect([id, value]).toEqual([id, asShown(expected.figures[id])]);
  }
  /** The commitments table as read: its header cells, then each row's cells' text. */
  const commitmentsTable = () =>
    page.$$eval('#commitments-table tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())));
  async function showAt(input: string, statusText: string): Promise<void> {
    await page.fill('#known-at', input);
    await page.click('#show');
    await page.locator('#status', { hasText: statusText }).waitFor();
    await page.waitForSelector('#report[aria-busy="false"]');
  }

  beforeAll(async () => {
    const clock = new ReplayClock();
    const store = await openEventStore(files.ledgerDb, { create: true, clock: clock.now });
    await importRecordedBatches(batches(), store, clock);
    await store.close();
    app = await createApp(files.options);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    key = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'Committee member', role: 'committee' }, new Date())).key;
    chromium = await launchChromium({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York' });
    page = await chromium.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  it('GET /commitments gives each commitment as known at K: the revision counts only from its recordedAt', async () => {
    const [atA, now] = [await commitments(MOMENT_A), await commitments()];
    expect(atA.commitments.map((c) => [c.commitmentId, c.lever, c.target, c.label.en])).toEqual([
      ['awareness', 'awareness', 0.2, 'Awareness +20%'],
      ['funded', 'funding', 0.6, '60% of learners funded'],
    ]);
    expect(now.commitments.map((c) => [c.commitmentId, c.target, c.label.fr])).toEqual([
      ['awareness', 0.2, 'Notoriété +20 %'],
      ['funded', 0.75, '75 % d’étudiants financés'],
    ]);
    expect(now.commitments[1]?.setAt.eventId).toBe(uuidOf(20));
    // Before anything was recorded, there is no commitment.
    expect((await commitments('2021-01-01T00:00:00Z')).commitments).toEqual([]);
    const refused = await fetch(`${base}/commitments?${new URLSearchParams({ ...YEAR_2020, knownAt: 'yesterday' }).toString()}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('knownAt');
  });

  it('shows each v2 section in English as known at A, the lever targets from the log', async () => {
    await page.goto(`${base}/`);
    await page.click('button[data-lang="en"]');
    await page.fill('#key', key);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#populations-table a[data-figure]');
    await showAt('2021-02-01T00:00:00', '2021-02-01 00:00:00 UTC');
    const expected = await report(MOMENT_A);

    // Beside the populations: data coverage, free users, mentors, each as GET /reports gives them.
    for (const section of ['#coverage', '#free-users', '#mentors', '#outcomes', '#commitments']) expect([section, await page.isVisible(section)]).toEqual([section, true]);
    await expectShownAsReported('#coverage', expected, 6);
    await expectShownAsReported('#free-users', expected, 2);
    await expectShownAsReported('#mentors', expected, 1);
    await expectShownAsReported('#outcomes', expected, 2);
    await expectShownAsReported('#commitments', expected, 8);
    expect(await page.$$eval('#coverage-table thead th', (ths) => ths.map((th) => th.textContent))).toEqual(['Learners', 'Statuses asked']);
    // A status no one was asked about is "n/c", never 0.
    const refugees = await page.textContent('#free-users a[data-figure="free-users.refugee"]');
    expect([expected.figures['free-users.refugee'], refugees]).toEqual([null, 'n/c']);
    expect(await page.textContent('#outcomes-note')).toContain('An outcome no one declared is not a placement');
    expect(await page.textContent('#outcomes a[data-figure="outcomes.cohort.no-declaration-180"]')).toBe(String(expected.figures['outcomes.cohort.no-declaration-180']));

    // The commitments table: label FR / EN, target, baseline, actual, attained, data coverage; nulls in words.
    expect(await commitmentsTable()).toEqual([
      ['Lever (FR / EN)', 'Target', 'Baseline', 'Actual', 'Attained', 'Data coverage'],
      // No refugee was reached in 2019: a baseline of 0 is a value, and no growth can be said from it.
      ['Notoriété +20 % / Awareness +20%', '20.0%', '0', 'no baseline', '–', 'no baseline'],
      ['60 % d’étudiants financés / 60% of learners funded', '60.0%', '–', '100.0%', 'yes', 'available'],
    ]);
    // The levers' targets: the commitments' labels and targets, a lever with none says so.
    expect(await page.textContent('#lever-list article[aria-labelledby="lever-funding"] p.objective')).toBe('Target: 60% of learners funded (60.0%)');
    expect(await page.textContent('#lever-list article[aria-labelledby="lever-awareness"] p.objective')).toBe('Target: Awareness +20% (20.0%)');
    expect(await page.textContent('#lever-list article[aria-labelledby="lever-partnerships"] p.objective')).toBe('No commitment recorded for this lever as known at this moment');
    expect(await page.textContent('#chart-funding svg text.target-label')).toBe('60% target');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-v2.png'), fullPage: true });
    expect(chromium.problems).toEqual([]);
  });

  it('shows them in French, and the revised target only as known after its recordedAt', async () => {
    await page.click('button[data-lang="fr"]');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    // Intl writes a (narrow) no-break space before "%" in French: compared with spaces.
    const table = (await commitmentsTable()).map((row) => row.map((cell) => cell.replace(/[\u202f\u00a0]/g, ' ')));
    expect(table).toEqual([
      ['Levier (FR / EN)', 'Objectif', 'Point de référence', 'Résultat', 'Atteint', 'Données disponibles'],
      ['Notoriété +20 % / Awareness +20%', '20,0 %', '0', 'pas de point de référence', '–', 'pas de point de référence'],
      ['60 % d’étudiants financés / 60% of learners funded', '60,0 %', '–', '100,0 %', 'oui', 'disponibles'],
    ]);
    expect(await page.textContent('#outcomes-note')).toContain("Un résultat que personne n'a déclaré n'est pas un placement");
    expect(await page.textContent('#coverage-heading')).toBe('Données disponibles');

    // Now: the funding commitment as revised on 2021-04-01; the awareness one unchanged.
    await page.click('#known-now');
    await page.locator('#commitments-table tr[data-commitment="funded"] th', { hasText: '75' }).waitFor();
    await page.waitForSelector('#report[aria-busy="false"]');
    const now = await report();
    await expectShownAsReported('#commitments', now, 8);
    const normalise = (text: string | null) => (text ?? '').replace(/[\u202f\u00a0]/g, ' ');
    expect(normalise(await page.textContent('#lever-list article[aria-labelledby="lever-funding"] p.objective'))).toBe('Objectif : 75 % d’étudiants financés (75,0 %)');
    expect(normalise(await page.textContent('#commitments-table tr[data-commitment="awareness"]'))).toContain('Notoriété +20 % / Awareness +20%');
    expect(normalise(await page.textContent('#chart-funding svg text.target-label'))).toBe('Objectif 75 %');
    expect(now.figures['commitments.funded.target']).toBe(0.75);
    expect((await report(MOMENT_A)).figures['commitments.funded.target']).toBe(0.6);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-v2-fr.png'), fullPage: true });
    expect(chromium.problems).toEqual([]);
  });

  it('compares A with now: the revised target is a changed figure named by its label, its provenance the revision', async () => {
    await page.click('button[data-lang="en"]');
    await page.fill('#moment-a', '2021-02-01T00:00:00');
    await page.fill('#moment-b', '');
    await page.click('#compare-submit');
    await page.waitForSelector('#changes-table tr[data-changed="commitments.funded.target"]');
    expect(await page.textContent('#changes-table tr[data-changed="commitments.funded.target"] th span')).toBe('75% of learners funded');
    expect(await page.textContent('#changes-table tr[data-changed="commitments.funded.target"] [data-side="a"]')).toBe('60.0%');
    // In the commitments table, the target is highlighted, its value at A struck through.
    expect(await page.textContent('#commitments-table tr[data-commitment="funded"] .was-now del')).toBe('60.0%');
    expect(await page.locator('#commitments-table tr[data-commitment="awareness"] a.changed').count()).toBe(0);

    await page.click('#commitments-table tr[data-commitment="funded"] a[data-figure="commitments.funded.target"]');
    await page.waitForSelector('#provenance[open] #prov-events tbody tr');
    expect(await page.$$eval('#prov-events tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent))).toEqual([uuidOf(20)]);
    await page.keyboard.press('Escape');
    expect(chromium.problems).toEqual([]);
  });
});
