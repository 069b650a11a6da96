/**
 * Writes the demo data set as NDJSON (one event per line, in log order) and a manifest of
 * its recording batches (`<file>.batches.json`: recordedAt and 1-based line range of each),
 * so a loader imports each range with the store's clock set to its recordedAt.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { DemoOptions } from './demo-data.generator';
import { generateDemoBatches } from './demo-data.generator';

export interface BatchRange {
  readonly recordedAt: string;
  readonly fromLine: number;
  readonly toLine: number;
}

export interface DemoFilesSummary {
  readonly outFile: string;
  readonly manifestFile: string;
  readonly events: number;
  readonly batches: number;
  readonly bytes: number;
}

/** Writes one batch at a time (a few MB), synchronously: memory stays bounded whatever the scale. */
export async function writeDemoFiles(outFile: string, options: DemoOptions): Promise<DemoFilesSummary> {
  const manifestFile = `${outFile}.batches.json`;
  const ranges: BatchRange[] = [];
  let events = 0;
  let bytes = 0;
  const fd = openSync(outFile, 'w');
  try {
    for (const batch of generateDemoBatches(options)) {
      let text = '';
      for (const event of batch.events) text += `${JSON.stringify(event)}\n`;
      const buffer = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
      bytes += buffer.length;
      ranges.push({ recordedAt: batch.recordedAt, fromLine: events + 1, toLine: events + batch.events.length });
      events += batch.events.length;
      // Let other work on the event loop run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(manifestFile, `[\n${ranges.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`);
  return { outFile, manifestFile, events, batches: ranges.length, bytes };
}
