import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../apps/api/src/create-app';
import type { CommitmentsView, EventDetailsView, LogYearsView } from '@ledger/application';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE, createApiKey } from '@ledger/auth';
import { generateDemoBatches, PUBLICATION_KNOWN_AT } from '@ledger/demo';
import { importRecordedBatches, ReplayClock } from '@ledger/ingest';
import type { FigureProvenance, ReportDocument } from '@ledger/projection-runtime';
import { openEventStore } from '@ledger/store';
import { validateEnvironment } from '@ledger/config';
import { commitmentSet } from '../support/event-builders';
import type { HeadlessChromium } from '../support/browser';
import { describeWithChromium, launchChromium } from '../support/browser';

/**
 * The dashboard as the committee's tool (issue 14), at 1,400 px and at 390 px: downloads,
 * print, the view in the URL, phones and keyboard (axe-core at both widths), complete
 * French, commitments and the years of the log, payloads and retractions.
 * Screenshots (and a printed PDF) go to test-artifacts/dashboard/ (git-ignored).
 */
const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const YEAR_2020 = { from: '2020-01-01', to: '2020-12-31' };
const WIDTHS = [1400, 390] as const;

interface Violation {
  id: string;
  impact: string | null;
  nodes: string[];
}

function apiFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-dashboard-product-'));
  const ledgerDb = `sqlite:${join(dir, 'ledger.db')}`;
  return { dir, ledgerDb, options: { ledgerDb, readModelsDb: join(dir, 'read-models.db'), apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'requests.log'), environment: validateEnvironment({ ...process.env, LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem') }) } };
}

describeWithChromium('Dashboard product browser tests')('the dashboard as a product, in Chromium at 1,400 and 390 px', () => {
  const files = apiFiles();
  let app: INestApplication;
  let base: string;
  let key: string;
  let chromium: HeadlessChromium;

  async function get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${base}${path}${Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : ''}`, { headers: { Authorization: `Bearer ${key}` } });
    expect([path, res.status]).toEqual([path, 200]);
    return (await res.json()) as T;
  }
  const report = (params: Record<string, string>) => get<ReportDocument>('/reports', params);
  const asShown = (value: number | null | undefined) => (value === null ? 'null' : value === undefined ? '' : String(value));

  /** axe-core in the page (evaluated through the DevTools protocol: the page's policy allows no inline script); its serious and critical violations. */
  async function axeViolations(page: Page): Promise<Violation[]> {
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
    const violations = await page.evaluate<Violation[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`,
    );
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /** A new tab at `width`, signed in; in English unless the address says otherwise (the language chosen is remembered across tabs). */
  async function signedIn(width: number, hash = '#lang=en'): Promise<Page> {
    const page = await chromium.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/${hash}`);
    await page.fill('#key', key);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#populations-table a[data-figure="populations.net-distinct"]');
    await page.waitForSelector('#report[aria-busy="false"]');
    return page;
  }
  const hashOf = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

  beforeAll(async () => {
    const clock = new ReplayClock();
    const store = await openEventStore(files.ledgerDb, { create: true, clock: clock.now });
    await importRecordedBatches(generateDemoBatches({ seed: 1, scale: 0.005 }), store, clock);
    await store.close();
    app = await createApp(files.options);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const keys = app.get<ApiKeyStore>(API_KEY_STORE);
    key = (await createApiKey(keys, { name: 'Committee member', role: 'committee' }, new Date())).key;
    const ingest = (await createApiKey(keys, { name: 'Importer', role: 'ingest' }, new Date())).key;
    // Two commitments for 2020, through the API: a growth (its baseline the year before) and an at-least.
    const growth = commitmentSet(9001, 'awareness-growth', { figure: 'awareness.recipients.all', kind: 'growth-at-least', value: 0.2 });
    const funded = commitmentSet(9002, 'funded', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 });
    const appended = await fetch(`${base}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ingest}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { ...growth, data: { ...growth.data, lever: 'awareness', label: { fr: 'Notoriété en hausse', en: 'Awareness up' } } },
        { ...funded, data: { ...funded.data, lever: 'funding', label: { fr: 'Étudiants financés', en: 'Learners funded' } } },
      ]),
    });
    expect(appended.status).toBe(201);
    const published = await fetch(`${base}/publications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT, publicationId: 'mission-report-2020' }),
    });
    expect(published.status).toBe(201);
    chromium = await launchChromium({ viewport: { width: 1400, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York' });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
    rmSync(files.dir, { recursive: true, force: true });
  });

  describe.each(WIDTHS)('at %i px', (width) => {
    it('offers the view as CSV, XLSX and PDF, and a provenance list as CSV, each for the period and moment shown', async () => {
      const page = await signedIn(width);
      await page.click('#publication-list button[data-publication="mission-report-2020"]');
      await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
      await page.click('#downloads summary');
      expect(await page.isVisible('#download-xlsx')).toBe(true);
      for (const format of ['csv', 'xlsx', 'pdf']) {
        const href = new URL((await page.getAttribute(`#download-${format}`, 'href')) ?? '', base);
        expect([format, href.pathname, Object.fromEntries(href.searchParams)]).toEqual([format, '/reports', { ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT, format }]);
      }
      await page.keyboard.press('Escape');
      await page.click('#key-list a[data-figure="key.certificates"]');
      await page.waitForSelector('#provenance[open] #prov-csv');
      const csv = new URL((await page.getAttribute('#prov-csv', 'href')) ?? '', base);
      expect([csv.pathname, Object.fromEntries(csv.searchParams)]).toEqual(['/figures/key.certificates/explain', { ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT, format: 'csv' }]);
      await page.screenshot({ path: join(ARTIFACTS, `downloads-${width}.png`) });
      expect(chromium.problems).toEqual([]);
      await page.close();
    });

    it('prints the report without the header band or the controls, with the period, moment, position and seal at the foot of every page', async () => {
      const page = await signedIn(width);
      await page.click('#publication-list button[data-publication="mission-report-2020"]');
      await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
      const published = (await get<Array<{ publicationId: string; seal: { merkleRoot: string; treeSize: number } }>>('/publications'))[0];
      const shown = await report({ ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT });
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['header.top', '#controls', '#compare', '#downloads']) expect([hidden, await page.isVisible(hidden)]).toEqual([hidden, false]);
      expect(await page.isVisible('#populations-table')).toBe(true);
      expect(await page.evaluate("getComputedStyle(document.querySelector('#print-footer')).position")).toBe('fixed'); // repeated on every printed page
      const footer = (await page.textContent('#print-footer')) ?? '';
      expect(footer).toContain('Period 2020-01-01 to 2020-12-31');
      expect(footer).toContain('known at 2021-03-15 00:00:00 UTC');
      expect(footer).toContain(`log position ${new Intl.NumberFormat('en-GB').format(shown.logPosition)}`);
      expect(footer).toContain(`Publication mission-report-2020 sealed · Merkle root ${published?.seal.merkleRoot}`);
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
      if (width === 1400) await page.pdf({ path: join(ARTIFACTS, 'printed.pdf'), format: 'A4', printBackground: true });
      await page.screenshot({ path: join(ARTIFACTS, `print-${width}.png`), fullPage: true });
      // Now: no publication of that moment, the footer says it is not sealed.
      await page.emulateMedia({ media: 'screen' });
      await page.click('#known-now');
      await page.locator('#print-seal', { hasText: 'Not sealed' }).waitFor({ state: 'attached' });
      await page.close();
    });

    it('keeps the view in the address: a link reproduces it, pasted into an open tab too; back and forward work', async () => {
      const page = await signedIn(width);
      await page.click('#publication-list button[data-publication="mission-report-2020"]');
      await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
      await page.fill('#moment-a', '2021-03-15 00:00');
      await page.click('#compare-submit');
      await page.waitForSelector('#changes-table');
      await page.click('button[data-lang="fr"]');
      await page.click('#key-list a[data-figure="key.courses-started"]');
      await page.waitForSelector('#provenance[open] #prov-events');
      const hash = hashOf(page);
      expect(hash.get('explain')).toBe('key.courses-started');
      expect([hash.get('from'), hash.get('to'), hash.get('lang')]).toEqual(['2020-01-01', '2020-12-31', 'fr']);
      expect(hash.get('a')).toBe(PUBLICATION_KNOWN_AT);
      const b = hash.get('b') ?? '';
      expect(Date.parse(b)).toBeGreaterThan(Date.parse(PUBLICATION_KNOWN_AT));
      expect(hash.get('knownAt')).toBe(b); // the dashboard shows B
      const link = page.url();
      const valueShown = await page.textContent('#prov-value');

      // The link, opened in a new tab (the key asked for), shows the same view.
      const other = await chromium.newPage();
      await other.setViewportSize({ width, height: 900 });
      await other.goto(link);
      expect(await other.getAttribute('html', 'lang')).toBe('fr'); // before the key: the link's language
      await other.fill('#key', key);
      await other.click('#login-form button[type=submit]');
      await other.waitForSelector('#provenance[open] #prov-events');
      expect(await other.textContent('#prov-value')).toBe(valueShown);
      expect(await other.inputValue('#moment-a')).toBe('2021-03-15 00:00');
      expect(await other.locator('#changes-table tbody tr').count()).toBe(await page.locator('#changes-table tbody tr').count());
      expect(await other.textContent('#status')).toBe(await page.textContent('#status'));
      await other.close();

      // Back: the dialog closes, then the comparison goes; forward brings them again.
      await page.goBack();
      await page.locator('#provenance[open]').waitFor({ state: 'detached' });
      await page.goBack();
      await page.locator('#changes-table').waitFor({ state: 'detached' });
      expect(hashOf(page).get('a')).toBeNull();
      expect(await page.inputValue('#known-at')).toBe('2021-03-15 00:00');
      await page.goForward();
      await page.waitForSelector('#changes-table');
      await page.goForward();
      await page.waitForSelector('#provenance[open] #prov-events');

      // A link pasted into this open tab: the hash changes, the view follows.
      const pasted = new URLSearchParams({ from: '2019-01-01', to: '2019-12-31', knownAt: '2021-03-15T00:00:00Z', lang: 'en' }).toString();
      await page.evaluate(`location.hash = ${JSON.stringify(pasted)}`);
      await page.locator('#status', { hasText: 'Report 2019-01-01 to 2019-12-31, as known at 2021-03-15 00:00:00 UTC' }).waitFor();
      expect(await page.isVisible('#provenance')).toBe(false);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      const expected = await report({ from: '2019-01-01', to: '2019-12-31', knownAt: '2021-03-15T00:00:00Z' });
      expect(await page.getAttribute('#key-list a[data-figure="key.certificates"]', 'data-value')).toBe(asShown(expected.figures['key.certificates']));
      await page.screenshot({ path: join(ARTIFACTS, `url-view-${width}.png`) });
      expect(chromium.problems).toEqual([]);
      await page.close();
    });

    it('reads on a phone and from the keyboard: tables scroll with a cue, charts at a readable size, the dialog fits and keeps the focus; no serious axe violation', async () => {
      const page = await signedIn(width);
      // Tables wider than the screen say so, and can be scrolled from the keyboard.
      const populations = page.locator('#populations .table-scroll');
      const overflowing = await populations.evaluate((node) => node.scrollWidth > node.clientWidth);
      expect(overflowing).toBe(width === 390);
      if (overflowing) {
        expect(await page.isVisible('#populations .scroll-hint')).toBe(true);
        expect(await populations.getAttribute('tabindex')).toBe('0');
        expect(await populations.getAttribute('aria-label')).toContain('Disadvantaged populations');
      } else expect(await page.locator('#populations .scroll-hint').count()).toBe(0);
      // Chart text is drawn at its width: about 12 px on screen, never a wide drawing shrunk to 4 px.
      for (const chart of ['#chart-funding', '#chart-partnerships', '#chart-themes']) {
        const heights = await page.$$eval(`${chart} svg text`, (texts) => texts.map((text) => text.getBoundingClientRect().height));
        expect([chart, Math.min(...heights) >= 10]).toEqual([chart, true]);
      }
      // The page itself never scrolls sideways.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}.png`), fullPage: true });

      // From the keyboard: a figure link, Enter, the dialog (inside the screen), Tab kept in it, Escape, the focus back.
      await page.focus('#impact-value a[data-figure="impact.positive-progressions"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#provenance[open] #prov-events tbody tr td.details details');
      expect(await page.evaluate('document.activeElement?.id')).toBe('prov-close');
      const box = await page.$eval('#provenance', (d) => {
        const r = d.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, scrolls: d.scrollWidth > d.clientWidth + 1 };
      });
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(width);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(900);
      expect(box.scrolls).toBe(false);
      for (let i = 0; i < 25; i += 1) {
        await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
        expect(await page.evaluate("Boolean(document.activeElement?.closest('#provenance'))")).toBe(true);
      }
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `provenance-${width}.png`) });
      await page.keyboard.press('Escape');
      await page.locator('#provenance[open]').waitFor({ state: 'detached' });
      expect(await page.evaluate("document.activeElement?.getAttribute('data-figure')")).toBe('impact.positive-progressions');

      // The download menu from the keyboard.
      await page.focus('#downloads summary');
      await page.keyboard.press('Enter');
      expect(await page.isVisible('#download-csv')).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.isVisible('#download-csv')).toBe(false);

      // In French, with a comparison shown: still no serious violation.
      await page.click('button[data-lang="fr"]');
      await page.fill('#moment-a', '2021-03-15 00:00');
      await page.click('#compare-submit');
      await page.waitForSelector('#changes-table');
      expect(await axeViolations(page)).toEqual([]);
      expect(chromium.problems).toEqual([]);
      await page.close();
    });

    it('speaks French throughout: labels, plurals, and 24-hour UTC fields with a fixed pattern whatever the browser locale', async () => {
      const page = await signedIn(width);
      // The browser is en-US in New York: the fields still read YYYY-MM-DD HH:MM, UTC.
      await page.click('#publication-list button[data-publication="mission-report-2020"]');
      await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
      expect(await page.inputValue('#known-at')).toBe('2021-03-15 00:00');
      expect(await page.getAttribute('#known-at', 'type')).toBe('text');
      expect(await page.locator('input[type="date"], input[type="datetime-local"], input[type="time"]').count()).toBe(0);

      await page.click('button[data-lang="fr"]');
      expect(await page.getAttribute('#known-at', 'placeholder')).toBe('AAAA-MM-JJ HH:MM');
      expect(await page.textContent('#known-at-format')).toBe('AAAA-MM-JJ HH:MM (24 h, UTC)');
      expect(await page.textContent('#from-format')).toBe('AAAA-MM-JJ');
      // Every label of the page, in French: none left as the English text.
      const english = await page.$$eval('[data-i18n]', (nodes) => nodes.map((n) => [n.getAttribute('data-i18n'), n.textContent]));
      const same = new Set(['Impact', 'Mentors', 'Provenance', 'CSV (spreadsheet, text)']);
      const enWords: Record<string, string> = { 'controls.heading': 'Period and moment', 'download': 'Download', 'print': 'Print', 'history.heading': 'Year by year', 'compare.heading': 'Compare two moments', 'prov.close': 'Close' };
      for (const [k, text] of english) if (k && enWords[k]) expect([k, text]).not.toEqual([k, enWords[k]]);
      expect(english.filter(([, text]) => text && !same.has(text) && /\b(the|of|and|Show|Download|Print)\b/.test(text))).toEqual([]);

      // A wrong moment: said under its field, in French, naming it; nothing is asked of the API.
      const status = await page.textContent('#status');
      for (const typed of ['03/15/2021 12:00 AM', '2021-03-15 24:00', '2021-02-30 10:00']) {
        await page.fill('#known-at', typed);
        await page.click('#show');
        await page.waitForSelector('#known-at-error:not([hidden])');
        expect(await page.textContent('#known-at-error')).toBe(`Connu au (UTC) : moment attendu au format AAAA-MM-JJ HH:MM ou HH:MM:SS, sur 24 heures, en UTC (par exemple 2021-03-15 14:30), reçu « ${typed} ».`);
        expect(await page.getAttribute('#known-at', 'aria-invalid')).toBe('true');
        expect(await page.evaluate('document.activeElement?.id')).toBe('known-at');
        expect(await page.textContent('#status')).toBe(status);
      }
      await page.fill('#from', '2020-13-01');
      await page.fill('#known-at', '2021-03-15 00:00');
      await page.click('#show');
      await page.waitForSelector('#from-error:not([hidden])');
      expect(await page.textContent('#from-error')).toContain('Du : date attendue au format AAAA-MM-JJ');
      await page.fill('#from', '2020-01-01');
      await page.fill('#known-at', '2021-03-15 12:30');
      await page.click('#show');
      await page.locator('#status', { hasText: '2021-03-15 12:30:00 UTC' }).waitFor();
      expect(await page.isHidden('#known-at-error')).toBe(true);

      // Plurals by Intl.PluralRules, never "(s)".
      await page.fill('#moment-a', '2021-03-15 00:00');
      await page.fill('#moment-b', '');
      await page.click('#compare-submit');
      await page.waitForSelector('#changes-table');
      const changedCount = await page.locator('#changes-table tbody tr').count();
      expect(await page.textContent('#compare-summary')).toMatch(changedCount === 1 ? /^1 chiffre diffère entre A/ : new RegExp(`^${changedCount} chiffres diffèrent entre A`));
      await page.click('#key-list a[data-figure="key.certificates"]');
      await page.waitForSelector('#provenance[open] #prov-count');
      const count = (await report({ ...YEAR_2020 })).figures['key.certificates'];
      expect(await page.textContent('#prov-count')).toBe(`${new Intl.NumberFormat('fr-FR').format(count ?? NaN)} ${count === 0 || count === 1 ? 'événement' : 'événements'}`);
      const text = await page.evaluate<string>('document.body.innerText');
      expect(text).not.toMatch(/\(s\)/);
      await page.screenshot({ path: join(ARTIFACTS, `french-${width}.png`), fullPage: width === 390 });
      await page.keyboard.press('Escape');
      // The API's errors in French: the dashboard asks for them (Accept-Language).
      const requests: Array<string | undefined> = [];
      page.on('request', (r) => requests.push(r.headers()['accept-language']));
      await page.click('#show');
      await page.waitForSelector('#report[aria-busy="false"]');
      expect(requests.length).toBeGreaterThan(0);
      for (const header of requests) expect(header).toMatch(/^fr/);
      await page.close();
    });

    it("shows each lever's commitments from the log, the year before beside the headline figures, and every year the log holds", async () => {
      const page = await signedIn(width);
      const now = await report({ ...YEAR_2020 });
      const commitments = await get<CommitmentsView>('/commitments', { ...YEAR_2020, knownAt: now.knownAt });
      // The demo's own 2020 commitments, and the two this test set.
      expect(commitments.commitments.map((c) => c.commitmentId).sort()).toEqual(['2020-awareness', '2020-funding', '2020-international', '2020-partnerships', '2020-populations', 'awareness-growth', 'funded']);
      for (const c of commitments.commitments) {
        // The populations have no lever card: their commitments show under the populations table.
        const lever = c.lever === 'populations' ? '#populations' : `#lever-list article[aria-labelledby="lever-${c.lever}"]`;
        expect(await page.textContent(`${lever} p.objective[data-commitment="${c.commitmentId}"]`)).toContain(c.label.en);
        for (const part of ['baseline', 'actual', 'attained']) {
          const id = `commitments.${c.commitmentId}.${part}`;
          const link = page.locator(`${lever} dl.commitment-figures[data-commitment="${c.commitmentId}"] [data-part="${part}"] a[data-figure="${id}"]`);
          expect([id, await link.getAttribute('data-value')]).toEqual([id, asShown(now.figures[id])]);
          const shown = (await link.textContent()) ?? '';
          // A null is said in words, never 0.
          if (now.figures[id] === null) expect([id, shown]).toEqual([id, part === 'actual' ? expect.stringMatching(/not collected|no baseline/) : part === 'baseline' ? (c.kind === 'growth-at-least' ? 'no baseline' : '–') : '–']);
          else if (part === 'attained') expect([id, shown]).toEqual([id, now.figures[id] === 1 ? 'yes' : 'no']);
        }
        const coverage = await page.getAttribute(`${lever} dl.commitment-figures[data-commitment="${c.commitmentId}"] [data-part="data"] dd`, 'data-coverage');
        expect([c.commitmentId, coverage]).toEqual([c.commitmentId, now.figures[`commitments.${c.commitmentId}.actual`] === null ? expect.stringMatching(/not-collected|no-baseline/) : 'available']);
      }
      // The growth's baseline is the year before's figure.
      const before = await report({ from: '2019-01-01', to: '2019-12-31', knownAt: now.knownAt });
      expect(now.figures['commitments.awareness-growth.baseline']).toBe(before.figures['awareness.recipients.all']);

      // The year before beside each headline figure, as known at the same moment.
      for (const id of ['impact.positive-progressions', 'key.certificates', 'key.courses-started', 'populations.net-distinct', 'international.admitted-learners']) {
        const value = await page.getAttribute(`.prior[data-prior="${id}"] a[data-figure="prev:${id}"]`, 'data-value');
        expect([id, value]).toEqual([id, asShown(before.figures[id])]);
      }
      expect(await page.textContent('.prior[data-prior="key.certificates"]')).toContain('2019:');

      // Every year the log holds, each as known at the same moment.
      const { years } = await get<LogYearsView>('/years', { knownAt: now.knownAt });
      expect(years.length).toBeGreaterThanOrEqual(3);
      await page.waitForSelector('#history:not([hidden]) #history-table tbody tr');
      expect(await page.$$eval('#history-table thead th', (ths) => ths.slice(1).map((th) => Number(th.textContent)))).toEqual(years);
      for (const year of [years[0] ?? 0, years[years.length - 1] ?? 0]) {
        const yearReport = await report({ from: `${year}-01-01`, to: `${year}-12-31`, knownAt: now.knownAt });
        const id = `year:${year}:key.certificates`;
        expect([id, await page.getAttribute(`#history-table a[data-figure="${id}"]`, 'data-value')]).toEqual([id, asShown(yearReport.figures['key.certificates'])]);
      }
      expect(await page.locator('#chart-history svg a[data-figure]').count()).toBe(years.length);
      await page.selectOption('#history-figure', 'key.courses-started');
      expect(await page.locator(`#chart-history svg a[data-figure="year:${years[0]}:key.courses-started"]`).count()).toBe(1);
      // A year's figure opens its provenance over that year.
      await page.click(`#history-table a[data-figure="year:${years[0]}:key.certificates"]`);
      await page.waitForSelector('#provenance[open] #prov-body dl.facts');
      expect(await page.textContent('#prov-body dl.facts')).toContain(`${years[0]}-01-01 – ${years[0]}-12-31`);
      await page.screenshot({ path: join(ARTIFACTS, `history-${width}.png`) });
      await page.keyboard.press('Escape');
      await page.locator('#lever-list').screenshot({ path: join(ARTIFACTS, `levers-${width}.png`) });
      expect(chromium.problems).toEqual([]);
      await page.close();
    });

    it("shows each event's payload, and a retracted event with its retraction and reason", async () => {
      const page = await signedIn(width);
      // At the publication's moment, a figure lists events the demo retracted later: each says so, with the reason.
      await page.click('#publication-list button[data-publication="mission-report-2020"]');
      await page.locator('#status', { hasText: '2021-03-15 00:00:00 UTC' }).waitFor();
      const atA = await report({ ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT });
      const atNow = await report({ ...YEAR_2020 });
      let found: { figure: string; details: EventDetailsView } | undefined;
      for (const figure of Object.keys(atA.figures).filter((id) => atA.figures[id] !== atNow.figures[id] && !id.startsWith('commitments.'))) {
        const explained = await get<FigureProvenance>(`/figures/${encodeURIComponent(figure)}/explain`, { ...YEAR_2020, knownAt: PUBLICATION_KNOWN_AT, limit: '200' });
        if (explained.events.length === 0) continue;
        const details = await get<EventDetailsView>('/provenance/events', { positions: explained.events.map((e) => e.position).join(','), knownAt: PUBLICATION_KNOWN_AT });
        if (details.events.some((e) => e.retraction !== null)) {
          found = { figure, details };
          break;
        }
      }
      if (!found) throw new Error('the demo retracts, after its publication, none of the events listed for a figure that changed since');
      const later = found.details.events.filter((e) => e.retraction !== null);
      expect(later.every((e) => e.retraction?.afterKnownAt === true)).toBe(true);
      await page.evaluate(`document.querySelector('a[data-figure="${found.figure}"]').click()`);
      await page.waitForSelector('#prov-events tbody tr td.details details.payload');
      const first = found.details.events[0];
      const payload = await page.textContent(`#prov-events tr[data-position="${first?.position}"] details.payload pre`);
      expect(JSON.parse(payload ?? 'null')).toEqual(first?.data);
      const retracted = later[0];
      const row = `#prov-events tr[data-position="${retracted?.position}"]`;
      expect(await page.getAttribute(row, 'class')).toContain('retracted-later');
      expect(await page.textContent(`${row} .retraction`)).toContain(`"${retracted?.retraction?.reason}"`);
      expect(await page.textContent(`${row} .retraction`)).toContain('Retracted after the moment shown');
      await page.screenshot({ path: join(ARTIFACTS, `retracted-later-${width}.png`) });
      await page.keyboard.press('Escape');
      // Compared with now: the events retracted since, each with its retraction and reason.
      await page.fill('#moment-a', '2021-03-15 00:00');
      await page.fill('#moment-b', '');
      await page.click('#compare-submit');
      await page.waitForSelector('#changes-table button[data-diff="key.courses-started"]');
      await page.click('#changes-table button[data-diff="key.courses-started"]');
      await page.waitForSelector('#diff-retracted tbody tr td.details .retraction');
      const rows = await page.$$eval('#diff-retracted tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-position'), tr.querySelector('.retraction')?.textContent ?? '']));
      expect(rows.length).toBeGreaterThan(0);
      const sinceA = await get<EventDetailsView>('/provenance/events', { positions: rows.map(([p]) => p).join(',') });
      for (const event of sinceA.events) {
        expect(event.retraction).not.toBeNull();
        const text = rows.find(([p]) => Number(p) === event.position)?.[1] ?? '';
        expect(text).toContain(`Retracted at position ${new Intl.NumberFormat('en-GB').format(event.retraction?.position ?? 0)}`);
        expect(text).toContain(`"${event.retraction?.reason}"`);
      }
      await page.screenshot({ path: join(ARTIFACTS, `retractions-${width}.png`) });
      expect(chromium.problems).toEqual([]);
      await page.close();
    });
  });
});
