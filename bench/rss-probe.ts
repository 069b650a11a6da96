/**
 * Loaded with `node --require` by bench/read-benchmarks.ts into each command it times: writes
 * the process's peak RSS (KiB, `process.resourceUsage().maxRSS`) to BENCH_RSS_FILE as it exits.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
