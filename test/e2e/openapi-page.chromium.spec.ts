import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/create-app';
import { SqliteEventStore } from '@ledger/store/sqlite';
import type { HeadlessChromium } from '../support/browser';
import { chromiumMissing, launchChromium } from '../support/browser';

const missing = chromiumMissing();
if (missing) console.warn(`the OpenAPI page in Chromium SKIPPED: ${missing}`);

/** /docs under the API's security headers (helmet's CSP, no framing), in a real browser. */
(missing ? describe.skip : describe)('the OpenAPI page (/docs) in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-docs-'));
  let app: INestApplication;
  let base: string;
  let browser: HeadlessChromium;

  beforeAll(async () => {
    await new SqliteEventStore(join(dir, 'ledger.db')).close(); // the API serves a ledger that exists
    app = await createApp({
      ledgerDb: `sqlite:${join(dir, 'ledger.db')}`,
      readModelsDb: join(dir, 'read-models.db'),
      apiKeysDb: join(dir, 'api-keys.db'),
      requestLog: join(dir, 'requests.log'),
    });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders its operations with nothing refused by the policy', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${base}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Impact ledger API');
    await page.locator('.opblock-summary-path', { hasText: '/events' }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(refused).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  it('cannot be framed by another page', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => refused.push(message.text()));
    await page.setContent(`<iframe id="docs" src="${base}/docs"></iframe>`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((frame) => frame.url().startsWith(`${base}/docs`));
    const title = framed ? await framed.locator('.swagger-ui .info .title').count() : 0;
    expect(title).toBe(0);
    expect(refused.join('\n')).toMatch(/frame-ancestors|X-Frame-Options|refused to connect|Refused to display/i);
  });
});
