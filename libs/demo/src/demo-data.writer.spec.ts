import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEvent } from '@ledger/events';
import { generateDemoBatches } from './demo-data.generator';
import { type BatchRange, writeDemoFiles } from './demo-data.writer';

describe('writeDemoFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-data-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the batches as NDJSON lines in log order, and a manifest of their line ranges', async () => {
    const outFile = join(dir, 'demo.ndjson');
    const summary = await writeDemoFiles(outFile, { seed: 4, scale: 0.005 });

    const lines = readFileSync(outFile, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(summary.events);
    expect(summary.bytes).toBe(readFileSync(outFile).length);

    const manifest = JSON.parse(readFileSync(summary.manifestFile, 'utf8')) as BatchRange[];
    expect(summary.manifestFile).toBe(`${outFile}.batches.json`);
    expect(manifest).toHaveLength(summary.batches);
    expect(manifest[0]?.fromLine).toBe(1);
    expect(manifest[manifest.length - 1]?.toLine).toBe(summary.events);
    manifest.slice(1).forEach((range, i) => {
      expect(range.fromLine).toBe((manifest[i]?.toLine ?? 0) + 1);
      expect(range.recordedAt > (manifest[i]?.recordedAt ?? '')).toBe(true);
    });

    const batches = [...generateDemoBatches({ seed: 4, scale: 0.005 })];
    expect(batches.map((b) => b.recordedAt)).toEqual(manifest.map((r) => r.recordedAt));
    const events = batches.flatMap((b) => b.events);
    expect(lines.map((line) => JSON.parse(line) as LedgerEvent)).toEqual(events);
  });
});
