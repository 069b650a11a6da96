import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The dashboard's folder inside the repository, as a path from its root. */
export const DASHBOARD_FOLDER = join('apps', 'api', 'public');

/** The type each kind of file of the dashboard is sent as. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * `apps/api/public`, found by walking up from `start` to the repository root: the same
 * folder whether the API runs from the sources (apps/api/src/dashboard) or compiled
 * (dist/apps/api/src/dashboard), since the compiler copies no static file into dist/.
 * Undefined when no parent holds it (a deployment without the dashboard's files).
 */
export function findDashboardFolder(start: string = __dirname): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, DASHBOARD_FOLDER);
    if (existsSync(join(candidate, 'index.html'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The page allows only its own scripts, styles and images, and talks only to this API:
 * nothing is loaded from elsewhere, no inline script runs, and it may not be framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Set on every file of the dashboard, over the API's own (helmet's CSP, Cache-Control: no-store). */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Revalidated each time (ETag): a new version of the page is seen at once.
  'Cache-Control': 'no-cache',
};
