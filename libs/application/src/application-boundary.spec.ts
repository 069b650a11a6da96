import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The use-case layer's own files (not its specs, not its test harness). */
function layerFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : layerFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = layerFiles(__dirname).map((path) => relative(__dirname, path));

/** Any module specifier: static imports, re-exports, `import()` and `require()`. */
function specifiers(code: string): string[] {
  return [...code.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'([^']+)'/g)].map((m) => m[1] ?? '');
}

describe('libs/application: the use cases, outside the shells', () => {
  it('finds its handlers', () => {
    expect(files).toEqual(expect.arrayContaining(['report/report.handler.ts', 'import/import.handler.ts', 'application.module.ts']));
  });

  it.each(files)('%s imports Nest only for injection and the buses, and nothing of a shell (HTTP, CLI, apps/)', (file) => {
    const outside = specifiers(readFileSync(join(__dirname, file), 'utf8')).filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
    expect(outside.filter((s) => !['@nestjs/common', '@nestjs/cqrs', 'rxjs'].includes(s))).toEqual([]);
    const relativeOnes = specifiers(readFileSync(join(__dirname, file), 'utf8')).filter((s) => s.startsWith('.'));
    expect(relativeOnes.filter((s) => /(^|\/)apps\//.test(s))).toEqual([]);
  });

  it.each(files)('%s never reads the clock or makes ids: they come with the query or the command', (file) => {
    expect(readFileSync(join(__dirname, file), 'utf8').match(/new Date\(|Date\.now\(|randomUUID|Math\.random\(/g) ?? []).toEqual([]);
  });
});
