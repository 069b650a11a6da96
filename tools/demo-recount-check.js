#!/usr/bin/env node
'use strict';
/**
 * The demo's independent recount (libs/demo/src/testing) against reports the ledger printed,
 * at any scale: what test/projections/demo-cross-check.spec.ts does at 0.005 and 0.02, for
 * the larger scales a test run cannot afford. Needs `npm run build` (it reads dist/).
 *
 *   ledger demo --scale 0.1
 *   ledger report --from 2020-01-01 --to 2020-12-31 --known-at 2021-03-15T00:00:00Z --format json > y2020.json
 *   node tools/demo-recount-check.js 0.1 1 y2020.json [more reports...]
 *
 * Regenerates the demo of that scale and seed in memory (about 1 GB at 0.1), recounts each
 * report's period as known at its knownAt, and compares every figure id and value.
 * Exit 0: every report agrees; 1: a difference (listed); 2: usage.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [scale, seed, ...files] = process.argv.slice(2);
if (scale === undefined || seed === undefined || files.length === 0) {
  process.stderr.write('usage: node tools/demo-recount-check.js <scale> <seed> <report.json>...\n');
  process.exit(2);
}
const dist = join(__dirname, '..', 'dist', 'libs', 'demo', 'src');
const { generateDemoBatches } = require(dist);
const { recountFigures } = require(join(dist, 'testing'));

const lines = [];
for (const batch of generateDemoBatches({ seed: Number(seed), scale: Number(scale) })) {
  const recordedAtMs = Date.parse(batch.recordedAt);
  for (const event of batch.events) lines.push({ event, recordedAtMs });
}
process.stdout.write(`demo at scale ${scale}, seed ${seed}: ${lines.length} events\n`);
/** The recount's own extras, which are not figures of KPIS.md. */
const isKpisFigure = (id) => !id.startsWith('monthly.') && !/^key\.women-share\.free-users\./.test(id);
let differences = 0;
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const expected = recountFigures(() => lines, report.period.from, report.period.to, Date.parse(report.knownAt));
  const ids = Object.keys(expected).filter(isKpisFigure);
  const missing = ids.filter((id) => !Object.hasOwn(report.figures, id));
  const extra = Object.keys(report.figures).filter((id) => !Object.hasOwn(expected, id));
  const different = ids.filter((id) => Object.hasOwn(report.figures, id) && report.figures[id] !== expected[id]);
  differences += missing.length + extra.length + different.length;
  process.stdout.write(
    `${file}: ${report.period.from}..${report.period.to} as known at ${report.knownAt}: ${ids.length} figures recounted; ` +
      `${missing.length} missing, ${extra.length} not recounted, ${different.length} different\n`,
  );
  for (const id of different) process.stdout.write(`  ${id}: reported ${report.figures[id]}, recounted ${expected[id]}\n`);
  for (const id of missing) process.stdout.write(`  ${id}: not reported\n`);
  for (const id of extra) process.stdout.write(`  ${id}: not recounted\n`);
}
process.exit(differences === 0 ? 0 : 1);
