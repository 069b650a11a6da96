import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The ledger's package version and git commit, read at run time from the checkout the CLI or the API
 * runs from (the nearest package.json above this file, and `git rev-parse HEAD` there):
 * an audit names the code that made it. The commit is null outside a git checkout.
 */
export function ledgerBuild(from: string = __dirname): { readonly version: string; readonly commit: string | null } {
  let root = from;
  while (!existsSync(join(root, 'package.json'))) {
    const up = dirname(root);
    if (up === root) return { version: 'unknown', commit: null };
    root = up;
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  let commit: string | null = null;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    commit = /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  } catch {
    commit = null; // no git, or not a checkout: said as such in the findings
  }
  return { version: typeof version === 'string' ? version : 'unknown', commit };
}
