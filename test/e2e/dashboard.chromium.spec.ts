import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../apps/api/src/create-app';
import { findDashboardFolder } from '../../apps/api/src/dashboard/dashboard-files';
import type { CommitmentsView } from '@ledger/application';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { generateDemoBatches, PUBLICATION_KNOWN_AT } from '@ledger/demo';
import { importRecordedBatches, ReplayClock } from '@ledger/ingest';
import type { FigureCatalogue } from '@ledger/projection-kit';
import type { FigureProvenance } from '@ledger/projection-runtime';
import type { ReportDocument } from '@ledger/projection-runtime';
import { openEventStore } from '@ledger/store';
import { validateEnvironment } from '@ledger/config';
import type { HeadlessChromium } from '../support/browser';
import { describeWithChromium, launchChromium } from '../support/browser';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SCALE = 0.005;
const YEAR_2020 = { from: '2020-01-01', to: '2020-12-31' };
const MOMENT_A = '2021-03-15T00:00:00Z';

/** A temporary folder with the API's files: the ledger, the read models, the keys, the request log. */
function apiFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-dashboard-'));
  return {
    dir,
    ledgerDb: `sqlite:${join(dir, 'ledger.db')}`,
    options: { ledgerDb: `sqlite:${join(dir, 'ledger.db')}`, readModelsDb: join(dir, 'read-models.db'), apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'requests.log'), environment: validateEnvironment({ ...process.env, LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem') }) },
  };
}

describe('the dashboard files, served by the API at / and /assets/', () => {
  const files = apiFiles();
  let app: INestApplication;

  beforeAll(async () => {
    await (await openEventStore(files.ledgerDb, { create: true })).close(); // the API serves a ledger that exists
    app = await createApp(files.options);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  it('sends the page without a key, with a policy that allows nothing from elsewhere', async () => {
    const res = await request(app.getHttpServer()).get('/');
    if (res.status === 404) throw new Error('GET / answers 404: AppModule must import DashboardModule (apps/api/src/dashboard/dashboard.module.ts)');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toContain('<script type="module" src="/assets/dashboard.js">');
    expect(res.text).not.toMatch(/https?:\/\//); // nothing is fetched from elsewhere
  });

  it('sends its scripts and styles under /assets/, with their types', async () => {
    const js = await request(app.getHttpServer()).get('/assets/dashboard.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text).not.toContain('innerHTML');
    const css = await request(app.getHttpServer()).get('/assets/dashboard.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it.each([
    '/assets/..%2f..%2f..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/src/app.module.ts',
    '/assets/..%5c..%5cindex.html',
    '/assets/.hidden.js',
    '/assets/dashboard.js%00.css',
    '/assets/',
    '/assets/missing.js',
    '/assets/i18n.ts',
  ])('refuses %s with 404, and sends no file', async (path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('"devDependencies"');
    expect(res.text).not.toContain('@Module');
  });

  it('finds the same folder from the sources and from the compiled dist/', () => {
    const fromSources = findDashboardFolder(join(ROOT, 'apps', 'api', 'src', 'dashboard'));
    expect(fromSources).toBe(join(ROOT, 'apps', 'api', 'public'));
    expect(findDashboardFolder(join(ROOT, 'dist', 'apps', 'api', 'src', 'dashboard'))).toBe(fromSources);
  });
});

describeWithChromium('Dashboard browser tests')('the dashboard in headless Chromium, over the real API and the small demo', () => {
  const files = apiFiles();
  let app: INestApplication;
  let base: string;
  let committeeKey: string;
  let adminKey: string;
  let chromium: HeadlessChromium;
  let page: Page;

  /** The API as the test sees it, with the committee's key. */
  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${committeeKey}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }
  const report = (knownAt?: string) => get<ReportDocument>(`/reports?${new URLSearchParams({ ...YEAR_2020, ...(knownAt ? { knownAt } : {}) }).toString()}`);
  const explain = (figure: string, knownAt: string) =>
    get<FigureProvenance>(`/figures/${encodeURIComponent(figure)}/explain?${new URLSearchParams({ ...YEAR_2020, knownAt }).toString()}`);

  /** Every figure the page shows in `scope`, by id, as its data-value (the raw number, or "null"). */
  async function shownFigures(scope: string): Promise<Map<string, string>> {
    const pairs = await page.$$eval(`${scope} a[data-figure]`, (links) => links.map((a) => [a.getAttribute('data-figure') ?? '', a.getAttribute('data-value') ?? '']));
    // `prev:<id>` and `year:<yyyy>:<id>` are figures of other periods (the year before, the years of the log).
    return new Map(pairs.filter(([id]) => !/^(prev|year):/.test(id)) as Array<[string, string]>);
  }
  const asShown = (value: number | null | undefined) => (value === null ? 'null' : value === undefined ? '' : String(value));

  beforeAll(async () => {
    // The small demo, each daily batch recorded at its own moment, so that its past can be asked "as known at".
    const clock = new ReplayClock();
    const store = await openEventStore(files.ledgerDb, { create: true, clock: clock.now });
    await importRecordedBatches(generateDemoBatches({ seed: 1, scale: SCALE }), store, clock);
    await store.close();

    app = await createApp(files.options);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const home = await fetch(`${base}/`);
    if (home.status !== 200) throw new Error(`GET / answers ${home.status}: AppModule must import DashboardModule (apps/api/src/dashboard/dashboard.module.ts)`);
    const keys = app.get<ApiKeyStore>(API_KEY_STORE);
    committeeKey = (await createApiKey(keys, { name: 'Committee member', role: 'committee' }, new Date())).key;
    adminKey = (await createApiKey(keys, { name: 'Administrator', role: 'admin' }, new Date())).key;

    // The 2020 report as published, sealed in the log: the dashboard offers its moment as a shortcut.
    const published = await fetch(`${base}/publications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${committeeKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT, publicationId: 'mission-report-2020' }),
    });
    expect(published.status).toBe(201);

    chromium = await launchChromium({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Paris' });
    page = await chromium.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  it('loads /, takes the key, shows the role and the populations table with the figures of GET /reports', async () => {
    await page.goto(`${base}/`);
    expect(await page.isVisible('#login')).toBe(true);
    await page.fill('#key', committeeKey);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#populations-table a[data-figure="populations.net-distinct"]');
    expect(await page.textContent('#who')).toBe('Signed in: Committee member (committee)');
    expect(await page.isHidden('#jobs')).toBe(true); // audits and rebuilds are not the committee's

    const expected = await report();
    const shown = await shownFigures('#populations-table');
    // The populations table's own ids: KPIS.md v2's data coverage (`.members`, `.assessed-share`) is a section of its own.
    const populationIds = Object.keys(expected.figures).filter((id) => id.startsWith('populations.') && !/\.(members|assessed-share)$/.test(id));
    expect([...shown.keys()].sort()).toEqual(populationIds.sort());
    for (const id of populationIds) expect([id, shown.get(id)]).toEqual([id, asShown(expected.figures[id])]);

    // Laid out as the published report: its rows and columns, in its order, "n/c" where not collected.
    const rows = await page.$$eval('#populations-table tbody th', (ths) => ths.map((th) => th.textContent));
    expect(rows).toEqual(['Learners on a paid path', 'Funded', 'Admitted to an employment program', 'Employer-funded', 'TOTAL', 'Net total (duplicates excluded)']);
    const columns = await page.$$eval('#populations-table thead th', (ths) => ths.map((th) => th.textContent));
    expect(columns).toEqual(['Total', 'Job seekers', 'Low-qualified', 'Living in a priority district (QPV)', 'With a disability', 'Refugees']);
    const cell = (id: string) => page.textContent(`#populations-table a[data-figure="${id}"]`);
    expect(await cell('populations.employment-program.total')).toBe(String(expected.figures['populations.employment-program.total']));
    const notCollected = populationIds.find((id) => expected.figures[id] === null);
    if (notCollected) expect(await cell(notCollected)).toBe('n/c');

    // The impact figure, the four levers, the key figures, the three charts.
    expect(await page.getAttribute('#impact-value a[data-figure]', 'data-value')).toBe(asShown(expected.figures['impact.positive-progressions']));
    expect(await page.$$eval('#lever-list h3', (hs) => hs.map((h) => h.textContent))).toEqual([
      'Awareness and engagement',
      'Funding options',
      'Corporate partnerships',
      'International footprint',
    ]);
    const everything = await shownFigures('#report');
    for (const [id, value] of everything) expect([id, value]).toEqual([id, asShown(expected.figures[id])]);
    const months = Object.keys(expected.figures).filter((id) => /^funding\.\d{4}-\d{2}\.funded-share$/.test(id) && expected.figures[id] !== null);
    expect(await page.locator('#chart-funding svg circle.point').count()).toBe(months.length);
    // The target line is the funding commitment's, from the log (GET /commitments): none without a CommitmentSet.
    const commitments = await get<CommitmentsView>(`/commitments?${new URLSearchParams({ ...YEAR_2020, knownAt: expected.knownAt }).toString()}`);
    const fundedShareTargets = commitments.commitments.filter((c) => c.lever === 'funding' && c.kind === 'at-least' && /funded-share$/.test(c.figure)).length;
    expect(await page.locator('#chart-funding svg line.target').count()).toBe(Math.min(1, fundedShareTargets));
    expect(await page.locator('#chart-partnerships svg rect.bar.series-a').count()).toBe(4 + 1); // 2019's four kinds, and the legend
    expect(await page.locator('#chart-themes svg rect.bar').count()).toBe(13);
    const themes = await shownFigures('#chart-themes svg');
    expect(themes.get('key.courses-started.web-development')).toBe(asShown(expected.figures['key.courses-started.web-development']));
    // The year before, as known at the same moment: a second report.
    const before = await get<ReportDocument>(`/reports?${new URLSearchParams({ from: '2019-01-01', to: '2019-12-31', knownAt: expected.knownAt }).toString()}`);
    const bar2019 = await page.getAttribute('#chart-partnerships svg a[data-figure="prev:partnerships.apprenticeship"]', 'data-figure');
    expect(bar2019).toBe('prev:partnerships.apprenticeship');
    expect(await page.textContent('#chart-partnerships svg a[data-figure="prev:partnerships.apprenticeship"] text')).toBe(String(before.figures['partnerships.apprenticeship']));
    expect(chromium.problems).toEqual([]);
  });

  it('switches to French, and shows the figures as known at 2021-03-15T00:00:00Z', async () => {
    await page.click('button[data-lang="fr"]');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const rows = await page.$$eval('#populations-table tbody th', (ths) => ths.map((th) => th.textContent));
    expect(rows).toEqual(['Étudiants suivant un parcours payant', 'Financés', "Admis à un programme pour l'emploi", "Financés par l'employeur", 'TOTAL', 'Total net (en excluant les doublons)']);
    const columns = await page.$$eval('#populations-table thead th', (ths) => ths.map((th) => th.textContent));
    expect(columns).toEqual(['Total', "Demandeurs d'emploi", 'Personnes peu qualifiées', 'Personnes vivant en QPV', 'En situation de handicap', 'Réfugiés']);
    expect(await page.textContent('#who')).toBe('Connecté : Committee member (comité)');

    const now = await report();
    const then = await report(MOMENT_A);
    // The sealed publication is offered as a shortcut to its moment.
    expect(await page.getAttribute('#publication-list button[data-publication="mission-report-2020"]', 'data-known-at')).toBe(PUBLICATION_KNOWN_AT);

    await page.fill('#known-at', '2021-03-15T00:00:00');
    await page.click('#show');
    await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
    expect(await page.textContent('#status')).toContain(`position ${new Intl.NumberFormat('fr-FR').format(then.logPosition)}`);
    const shown = await shownFigures('#report');
    expect(shown.size).toBeGreaterThan(80);
    for (const [id, value] of shown) expect([id, value]).toEqual([id, asShown(then.figures[id])]);
    // The demo restates courses started (and the impact by outcome) after publication: the page shows them as known then.
    expect(then.figures['key.courses-started']).not.toBe(now.figures['key.courses-started']);
    expect(shown.get('key.courses-started')).toBe(asShown(then.figures['key.courses-started']));
    expect(await page.textContent('#key-list a[data-figure="key.courses-started"]')).toBe(new Intl.NumberFormat('fr-FR').format(then.figures['key.courses-started'] ?? NaN));
  });

  it('compares 2021-03-15 with now: every changed figure highlighted, with the events that changed it', async () => {
    const [atA, atB] = [await report(MOMENT_A), await report()];
    const changedIds = Object.keys(atB.figures).filter((id) => atA.figures[id] !== atB.figures[id]);
    expect(changedIds).toEqual(expect.arrayContaining(['key.courses-started', 'impact.by-outcome.new-job']));

    await page.fill('#moment-a', '2021-03-15T00:00:00');
    await page.fill('#moment-b', '');
    await page.click('#compare-submit');
    await page.waitForSelector('#changes-table');
    const rows = await page.$$eval('#changes-table tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-changed'), tr.querySelector('[data-side="a"]')?.textContent, tr.querySelector('[data-side="b"] a')?.getAttribute('data-value')]),
    );
    expect(rows.map(([id]) => id).sort()).toEqual([...changedIds].sort());
    for (const [id, , b] of rows) expect([id, b]).toEqual([id, asShown(atB.figures[id ?? ''])]);

    // In the dashboard (which now shows B), exactly the changed figures are highlighted, their value at A struck through.
    const highlighted = await page.$$eval('#report a.figure.changed', (links) => [...new Set(links.map((a) => a.getAttribute('data-figure')))]);
    expect(highlighted.length).toBeGreaterThan(0);
    for (const id of highlighted) expect(changedIds).toContain(id);
    for (const id of ['key.courses-started', 'impact.by-outcome.new-job', 'impact.by-outcome.promotion'].filter((i) => changedIds.includes(i))) {
      expect(highlighted).toContain(id);
    }
    const was = await page.textContent('#key-list .was-now del');
    expect(was).toBe(new Intl.NumberFormat('fr-FR').format(atA.figures['key.courses-started'] ?? NaN));
    const unchanged = await page.getAttribute('#impact-value a[data-figure]', 'class');
    if (!changedIds.includes('impact.positive-progressions')) expect(unchanged).not.toContain('changed');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // The events that changed courses started: at B and not at A "recorded since", at A and not at B "retracted since".
    const [explainA, explainB] = [await explain('key.courses-started', atA.knownAt), await explain('key.courses-started', atB.knownAt)];
    const idsA = new Set(explainA.events.map((e) => e.eventId));
    const idsB = new Set(explainB.events.map((e) => e.eventId));
    const retracted = explainA.events.filter((e) => !idsB.has(e.eventId)).map((e) => e.eventId);
    const recorded = explainB.events.filter((e) => !idsA.has(e.eventId)).map((e) => e.eventId);
    expect(retracted.length + recorded.length).toBeGreaterThan(0);
    await page.click('#changes-table button[data-diff="key.courses-started"]');
    await page.waitForSelector('#provenance[open] #prov-body dl.facts');
    const listed = async (table: string) => (await page.locator(`#${table}`).count()) === 0 ? [] : page.$$eval(`#${table} tbody tr td:nth-child(2)`, (tds) => tds.map((td) => td.textContent));
    expect(await listed('diff-retracted')).toEqual(retracted);
    expect(await listed('diff-recorded')).toEqual(recorded);
    if (retracted.length > 0) expect(await page.textContent('#prov-body h3.removed')).toBe(`Retirés depuis A (${retracted.length})`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-compare-events.png') });
    await page.click('#prov-close');
    expect(await page.isVisible('#provenance')).toBe(false);
  });

  it('follows a provenance link: the rule and the events that make the figure', async () => {
    const expected = await explain('impact.positive-progressions', (await report()).knownAt);
    await page.click('#impact-value a[data-figure="impact.positive-progressions"]');
    await page.waitForSelector('#provenance[open] #prov-events tbody tr');
    // What it counts, in the page's language (French since the test above): the catalogue's words.
    const catalogue = await get<FigureCatalogue>(`/figures?${new URLSearchParams(YEAR_2020).toString()}`);
    const counts = catalogue.figures.find((entry) => entry.id === 'impact.positive-progressions')?.counts;
    expect(counts?.fr).toBeTruthy();
    expect(await page.textContent('#prov-rule')).toBe(counts?.fr);
    expect(await page.textContent('#prov-value')).toBe(String(expected.value));
    const events = await page.$$eval('#prov-events tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(events.length).toBe(Math.min(200, expected.events.length));
    expect(events[0]?.slice(0, 6)).toEqual(
      [expected.events[0]?.position, expected.events[0]?.eventId, expected.events[0]?.type, expected.events[0]?.learnerId, expected.events[0]?.occurredAt, expected.events[0]?.recordedAt].map(String),
    );
    expect(new Set(events.map((e) => e[2]))).toEqual(new Set(expected.events.map((e) => e.type)));
    expect(page.url()).toContain('#explain=impact.positive-progressions');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-provenance.png') });
    await page.keyboard.press('Escape'); // the dialog closes from the keyboard, focus back on the link
    expect(await page.isVisible('#provenance')).toBe(false);
    expect(await page.locator(':focus').getAttribute('data-figure')).toBe('impact.positive-progressions');
    expect(chromium.problems).toEqual([]);
  });

  it('refuses a wrong key: the 401 message, and no figure on the page', async () => {
    const tab = await chromium.newPage();
    await tab.goto(`${base}/`);
    await tab.click('button[data-lang="en"]'); // the language chosen earlier is remembered (localStorage)
    await tab.fill('#key', `lk_0123456789abcdef_${'x'.repeat(43)}`);
    await tab.click('#login-form button[type=submit]');
    await tab.locator('#login-message', { hasText: '401' }).waitFor();
    const message = await tab.textContent('#login-message');
    expect(message).toMatch(/^Key refused \(401\): .*not a valid key/);
    expect(await tab.locator('[data-figure]').count()).toBe(0);
    expect(await tab.isHidden('#app')).toBe(true);
    expect(await tab.evaluate('sessionStorage.length')).toBe(0);
    await tab.close();
  });

  it('shows an audit started by an admin, its progress polled from GET /jobs/{id} until it is done', async () => {
    const tab = await chromium.newPage();
    await tab.goto(`${base}/`);
    await tab.fill('#key', adminKey);
    await tab.click('#login-form button[type=submit]');
    await tab.waitForSelector('#jobs:not([hidden]) #start-audit');
    await tab.selectOption('#audit-published', 'mission-report-2020');
    await tab.fill('#known-at', '2021-03-15T00:00:00');
    await tab.click('#start-audit');
    await tab.waitForSelector('#job-list li.job', { timeout: 10_000 });
    const job = await tab.waitForSelector('#job-list li.job[data-state="done"]', { timeout: 120_000 });
    const progress = await job.$eval('progress', (p) => [p.getAttribute('value'), p.getAttribute('max')]);
    expect(progress[0]).toBe(progress[1]);
    expect(Number(progress[1])).toBeGreaterThan(0);
    const jobId = await job.getAttribute('data-job');
    const res = await fetch(`${base}/jobs/${jobId}`, { headers: { Authorization: `Bearer ${adminKey}` } });
    const body = (await res.json()) as { state: string; result: { ok: boolean } };
    expect(body.state).toBe('done');
    expect(await job.textContent()).toContain(body.result.ok ? '✓' : '✗');
    await tab.close();
  }, 180_000);
});
