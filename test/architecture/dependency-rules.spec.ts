import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const absolute = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(absolute, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [relative(root, path)] : [];
  });
}

/** The domain: event catalog, reference rules, hashing and projections. Plain TypeScript, deterministic. */
const domain = [...sourceFiles('libs/events/src'), ...sourceFiles('libs/integrity/src'), ...sourceFiles('projections'), ...sourceFiles('docs/examples')];

describe('dependency rules', () => {
  it('finds the domain files it guards', () => {
    expect(domain).toEqual(expect.arrayContaining(['libs/events/src/catalog.ts', 'libs/integrity/src/hashing.ts']));
  });

  it.each(domain)('%s imports no NestJS and no infrastructure', (file) => {
    const imports = [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(imports.filter((i) => i.startsWith('@nestjs') || /\/(store|ingest|apps)\//.test(i) || /^(pg|better-sqlite3|@kurrent)/.test(i))).toEqual([]);
  });

  it.each(domain)('%s never reads the clock or makes ids', (file) => {
    const code = readFileSync(join(root, file), 'utf8');
    expect(code.match(/new Date\(\)|Date\.now\(|randomUUID|Math\.random\(/g) ?? []).toEqual([]);
  });
});
