import { writeDemoFiles } from '@ledger/demo';
import type { CliIo } from '../cli-io';

/**
 * `ledger generate --out <file.ndjson> [--seed N] [--scale S]`: the calibrated demo data
 * set (docs/demo-data.md), as NDJSON and the manifest of its recording batches
 * (`<file>.batches.json`), for `ledger load-history`.
 */
export async function generateCommand(options: { out: string; seed: string; scale: string }, io: CliIo): Promise<number> {
  const seed = Number(options.seed);
  const scale = Number(options.scale);
  if (!Number.isSafeInteger(seed)) {
    io.err(`--seed must be an integer, not ${JSON.stringify(options.seed)}`);
    return 1;
  }
  if (!(scale >= 0.005 && scale <= 1)) {
    io.err(`--scale must be a number from 0.005 to 1, not ${JSON.stringify(options.scale)}`);
    return 1;
  }
  const started = process.hrtime.bigint();
  const summary = await writeDemoFiles(options.out, { seed, scale });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.out(
    `generated ${summary.outFile}: ${summary.events} events in ${summary.batches} recording batches ` +
      `(${Math.round(summary.bytes / 2 ** 20)} MiB, ${seconds.toFixed(1)} s); manifest ${summary.manifestFile}`,
  );
  return 0;
}
