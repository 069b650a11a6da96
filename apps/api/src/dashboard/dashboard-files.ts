import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';

/** The dashboard's folder inside the repository, as a path from its root. */
export const DASHBOARD_FOLDER = join('apps', 'api', 'public');

/** The only kinds of file the dashboard serves, with the type each is sent as. */
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

/** A path segment the dashboard may serve: a plain name, no dot file, no `..`, no separator. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * The file under `root/assets` that a request names, or undefined when it names none that
 * may be served: a traversal (`..`, an encoded separator, a dot file), an unknown kind of
 * file, a folder, a missing file, or a symbolic link leading out of the folder.
 */
export function resolveAsset(root: string, segments: readonly string[]): { file: string; contentType: string } | undefined {
  if (segments.length === 0 || segments.length > 8) return undefined;
  if (!segments.every((s) => s.length <= 128 && SAFE_SEGMENT.test(s) && !s.includes('..'))) return undefined;
  const contentType = CONTENT_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!contentType) return undefined;
  const assets = join(root, 'assets');
  const file = resolve(assets, ...segments);
  if (!file.startsWith(assets + sep)) return undefined;
  try {
    const real = realpathSync(file);
    if (!real.startsWith(realpathSync(assets) + sep) || !statSync(real).isFile()) return undefined;
    return { file: real, contentType };
  } catch {
    return undefined;
  }
}
