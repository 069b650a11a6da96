import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ServiceVerdict } from './required-service';
import { describeFor, serviceVerdict } from './required-service';
import { requireProject } from './test-project';

/**
 * Debian's Chromium (the package `chromium`), or the one CHROMIUM_PATH names. No browser is
 * ever downloaded: where none is installed, the browser tests say so and are skipped, or under
 * CI fail (.ci/run installs it).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(path: string = CHROMIUM_PATH): string | undefined {
  return existsSync(path) ? undefined : `${path} is missing (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/** Run, skip or fail the tests that need Chromium at `path` (see describeWithChromium). */
export function chromiumVerdict(what: string, path: string = CHROMIUM_PATH, env: NodeJS.ProcessEnv = process.env): ServiceVerdict {
  return serviceVerdict('Chromium', what, chromiumMissing(path), env);
}

/** `describe` when Chromium is installed; otherwise a skip with a notice, or under CI a failure. */
export function describeWithChromium(what: string): jest.Describe {
  requireProject(['e2e'], 'Chromium');
  return describeFor(chromiumVerdict(what));
}

/**
 * The flags this machine needs: headless, as root without the sandbox, and nothing that
 * reaches out to Google's services (the network is closed: those connections would only
 * be refused, many at a time, at every start).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface HeadlessChromium {
  readonly context: BrowserContext;
  /** A new tab (its own sessionStorage), with the page's errors and failed requests collected in `problems`. */
  newPage(): Promise<Page>;
  /** Uncaught page errors and console errors seen so far, for a test to assert there are none. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Headless Chromium through playwright-core, with a fresh, empty profile that `close` removes. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; locale?: string; timezoneId?: string } = {},
): Promise<HeadlessChromium> {
  requireProject(['e2e'], 'Chromium');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ledger-chromium-'));
  const problems: string[] = [];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: options.locale ?? 'en-US',
      timezoneId: options.timezoneId ?? 'UTC',
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const watch = (page: Page): Page => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused request (the 401 test) is logged by Chromium as a console error: expected, not a fault of the page.
      if (message.type() === 'error' && !/status of 40[134]/.test(message.text())) problems.push(`console error: ${message.text()}`);
    });
    return page;
  };
  return {
    context,
    problems,
    newPage: async () => watch(await context.newPage()),
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
