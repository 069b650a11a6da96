import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';

/** No PDF can be printed now: Chromium is missing or would not start (`missing`), or every slot and its queue is taken (`busy`). */
export class PdfUnavailableError extends Error {
  constructor(
    readonly kind: 'missing' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'PdfUnavailableError';
  }
}

/** The flags this machine needs: headless, as root without the sandbox, nothing that reaches out to Google's services. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How many requests may wait for each slot before the next one is told 503 busy. */
const QUEUE_PER_SLOT = 8;

/**
 * Prints an HTML page to PDF with the installed Chromium (playwright-core drives it; nothing is
 * downloaded). The browser is launched on the first PDF asked, shared by the ones after, and
 * closed when the application shuts down; a browser that crashed is launched again on the next
 * PDF. At most PDF_CONCURRENCY pages print at once; the others wait their turn, and past a
 * bounded queue the answer is 503 busy rather than an unbounded pile of pages in memory.
 * Each page is in a context of its own, with every network request refused: a report's page
 * holds all it needs.
 */
@Injectable()
export class PdfRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger('pdf');
  private browser: Promise<Browser> | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(@Inject(LEDGER_ENVIRONMENT) private readonly environment: LedgerEnvironment) {}

  /** The PDF of `html` (A4), with `footer` (a Chromium footerTemplate) at the foot of every page. */
  async render(html: string, footer: string): Promise<Buffer> {
    const path = this.environment.CHROMIUM_PATH;
    if (!existsSync(path)) throw new PdfUnavailableError('missing', `no PDF: Chromium is not installed at ${path} (CHROMIUM_PATH); CSV and XLSX exports need no browser`);
    await this.turn();
    try {
      const browser = await this.launched(path);
      const context = await browser.newContext();
      try {
        await context.route('**/*', (route) => route.abort());
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: footer,
          margin: { top: '18mm', bottom: '22mm', left: '16mm', right: '16mm' },
        });
      } finally {
        await context.close();
      }
    } finally {
      this.release();
    }
  }

  private launched(path: string): Promise<Browser> {
    if (this.browser === undefined) {
      const launching = import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS }));
      this.browser = launching.then(
        (browser) => {
          browser.on('disconnected', () => {
            if (this.browser !== undefined && !this.closed) this.logger.warn('Chromium went away: it is launched again on the next PDF');
            this.browser = undefined;
          });
          return browser;
        },
        (error: unknown) => {
          this.browser = undefined;
          this.logger.error(`Chromium at ${path} would not start: ${error instanceof Error ? error.message : String(error)}`);
          throw new PdfUnavailableError('missing', `no PDF: Chromium at ${path} (CHROMIUM_PATH) would not start`);
        },
      );
    }
    return this.browser;
  }

  private async turn(): Promise<void> {
    const slots = this.environment.PDF_CONCURRENCY;
    if (this.running < slots) {
      this.running += 1;
      return;
    }
    if (this.waiting.length >= slots * QUEUE_PER_SLOT) throw new PdfUnavailableError('busy', `no PDF now: ${this.running} are being printed and ${this.waiting.length} wait (PDF_CONCURRENCY ${slots}); try again shortly`);
    // The slot is handed over by `release`: `running` stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await browser.then((b) => b.close()).catch(() => undefined);
  }
}
