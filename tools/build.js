#!/usr/bin/env node
'use strict';
/**
 * The one compilation: `tsc -p tsconfig.json` type checks everything, specs included, and emits
 * dist/, unless dist/ is current. Current means: the stamp dist/.build-stamp, written after a
 * compilation that succeeded, lists the same inputs (the .ts and .json files under tsconfig.json's
 * `include`, tsconfig.json, and package-lock.json for the installed types), none is newer than
 * it, and every source's .js is there. Checking takes a few milliseconds; starting tsc only to
 * learn that nothing changed takes seconds, before every `npm run ledger`.
 *
 *   node tools/build.js            compile when dist/ is not current (npm test, npm run ledger, ...)
 *   node tools/build.js --force    compile anyway (e.g. after copying files with their old dates)
 *
 * Used by package.json's scripts and by the e2e project's jest globalSetup.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const TSCONFIG = 'tsconfig.json';
const OUT_DIR = 'dist';
const STAMP = join(OUT_DIR, '.build-stamp');
/** Where tsconfig.json keeps its incremental state: removed when an output is missing, since tsc would not emit it again. */
const BUILD_INFO = join(OUT_DIR, '.tsbuildinfo');
// package.json is not one: its scripts do not change the compilation; dependencies change package-lock.json.
const CONFIG_FILES = [TSCONFIG, 'package-lock.json'];
const SOURCE = /\.(ts|tsx|mts|cts|json)$/;
const SKIPPED_DIRS = new Set(['node_modules', OUT_DIR]);

/** The files whose change calls for a compilation, relative to root, sorted. */
function inputsOf(root) {
  let config;
  try {
    config = JSON.parse(readFileSync(join(root, TSCONFIG), 'utf8'));
  } catch (error) {
    throw new Error(`tools/build.js reads ${TSCONFIG} as plain JSON (no comments): ${error.message}`);
  }
  const files = CONFIG_FILES.filter((file) => existsSync(join(root, file)));
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (SOURCE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const pattern of config.include ?? ['.']) {
    // A folder, or a glob whose folder part is walked whole: more inputs than tsc reads only costs a spare compile.
    const folder = pattern.split(/[*?{[]/)[0].replace(/[\\/]+$/, '') || '.';
    if (existsSync(join(root, folder)) && statSync(join(root, folder)).isDirectory()) walk(folder);
  }
  return [...new Set(files.map((f) => f.split(sep).join('/')))].sort();
}

/** The .js file tsc emits for a source (rootDir is the repository), or undefined for what emits none. */
function outputOf(file) {
  if (!/\.(ts|tsx|mts|cts)$/.test(file) || /\.d\.[mc]?ts$/.test(file)) return undefined;
  return join(OUT_DIR, file.replace(/\.tsx?$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'));
}

/** Why dist/ must be compiled again, or undefined when it is current. */
function staleReason(root = ROOT) {
  const stampPath = join(root, STAMP);
  if (!existsSync(stampPath)) return 'no successful build recorded yet';
  const built = statSync(stampPath).mtimeMs;
  const inputs = inputsOf(root);
  const recorded = readFileSync(stampPath, 'utf8').split('\n').filter(Boolean);
  if (recorded.join('\n') !== inputs.join('\n')) {
    const added = inputs.filter((f) => !recorded.includes(f));
    const removed = recorded.filter((f) => !inputs.includes(f));
    return [added.length ? `added: ${added.slice(0, 3).join(', ')}` : '', removed.length ? `removed: ${removed.slice(0, 3).join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
  }
  for (const file of inputs) {
    if (statSync(join(root, file)).mtimeMs > built) return `${file} changed`;
  }
  for (const file of inputs) {
    const output = outputOf(file);
    if (output !== undefined && !existsSync(join(root, output))) return `${output.split(sep).join('/')} is missing`;
  }
  return undefined;
}

/**
 * Compiles when dist/ is not current (or when forced); returns whether it compiled. Throws when
 * tsc fails (type errors included), leaving no stamp, so that the next call compiles again.
 */
function buildIfStale(root = ROOT, { force = false } = {}) {
  const reason = force ? 'forced' : staleReason(root);
  if (reason === undefined) return false;
  process.stderr.write(`Compiling (tsc -p ${TSCONFIG}): ${reason}.\n`);
  rmSync(join(root, STAMP), { force: true });
  if (reason.endsWith(' is missing')) rmSync(join(root, BUILD_INFO), { force: true });
  // Inputs touched while tsc runs are newer than the stamp, so they count at the next call.
  const started = new Date();
  const inputs = inputsOf(root);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', TSCONFIG], { cwd: root, stdio: 'inherit' });
  // tsc leaves the `@ledger/*` path aliases as written; tsc-alias makes them relative in dist/, so
  // that plain node runs the output without a run-time resolver.
  execFileSync(process.execPath, [require.resolve('tsc-alias/dist/bin/index.js', { paths: [root] }), '-p', TSCONFIG], { cwd: root, stdio: 'inherit' });
  writeFileSync(join(root, STAMP), inputs.join('\n') + '\n');
  utimesSync(join(root, STAMP), started, started);
  return true;
}

module.exports = { buildIfStale, staleReason, inputsOf, STAMP };

if (require.main === module) {
  try {
    buildIfStale(ROOT, { force: process.argv.includes('--force') });
  } catch (error) {
    // tsc has printed its errors; a failure of this script itself is said here.
    if (error.status === undefined) process.stderr.write(`${error.message}\n`);
    process.exit(typeof error.status === 'number' ? error.status : 1);
  }
}
