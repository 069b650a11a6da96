/**
 * Leaf v1 against leaf v2 (docs/erasure.md), in the same run, on real SQLite ledgers: the cost
 * of appending (v2 draws a salt and hashes a commitment per event) and of `verify` (v2
 * recomputes the commitment, then the leaf), and the cost of one erasure. Prints figures,
 * asserts nothing. Built with the project (`npm run build`), then:
 *
 *   node dist/bench/leaf-versions.js [events=100000] [rounds=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '@ledger/audit';
import type { LedgerEvent } from '@ledger/events';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { median } from './bench-support';
import { syntheticEvents } from './synthetic-events';

const EVENTS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const BATCH = 5_000;

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}


async function round(version: 1 | 2, events: readonly LedgerEvent[]): Promise<{ append: Timing; verify: Timing; erase: Timing; erased: number }> {
  const dir = mkdtempSync(join(tmpdir(), `ledger-bench-leaf-v${version}-`));
  const store = new SqliteEventStore(join(dir, 'ledger.db'), { newLogLeafVersion: version, synchronous: 'NORMAL' });
  try {
    const append = await timed(async () => {
      for (let i = 0; i < events.length; i += BATCH) await store.append({ events: events.slice(i, i + BATCH) });
    });
    const verify = await timed(async () => {
      const result = await verifyLog(store);
      if (!result.ok) throw new Error(`v${version}: ${JSON.stringify(result.fault)}`);
    });
    // The learner with the most events among the first thousand.
    const counts = new Map<string, number>();
    for (const e of events.slice(0, 1000)) if ('learnerId' in e) counts.set(e.learnerId, (counts.get(e.learnerId) ?? 0) + 1);
    const learner = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    let erased = 0;
    const erase = await timed(async () => {
      const outcome = await store.eraseLearner(learner, { reason: 'benchmark', erasedAt: '2021-06-01T00:00:00Z', eventId: '00000000-0000-4000-8000-0000000000ee' });
      erased = outcome.status === 'erased' ? outcome.erasedEvents : 0;
    });
    return { append, verify, erase, erased };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const events = [...syntheticEvents(EVENTS, 42)];
  const results: Record<1 | 2, Array<Awaited<ReturnType<typeof round>>>> = { 1: [], 2: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const version of [1, 2] as const) results[version].push(await round(version, events));
  }
  const per = (ms: number): string => `${((ms * 1000) / EVENTS).toFixed(1)} µs`;
  console.log(`${EVENTS} synthetic events, batches of ${BATCH}, SQLite (synchronous NORMAL), ${ROUNDS} interleaved rounds, medians; load ${JSON.stringify(loadavg().map((l) => l.toFixed(1)))}`);
  console.log('| Leaf | Append CPU / event | Append wall / event | Verify CPU / event | Verify wall / event | Erase one learner (wall) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const version of [1, 2] as const) {
    const rs = results[version];
    const m = (pick: (x: (typeof rs)[number]) => number) => median(rs.map(pick));
    console.log(
      `| v${version} | ${per(m((x) => x.append.cpuMs))} | ${per(m((x) => x.append.wallMs))} | ${per(m((x) => x.verify.cpuMs))} | ${per(m((x) => x.verify.wallMs))} | ` +
        `${m((x) => x.erase.wallMs).toFixed(1)} ms (${rs[0]?.erased ?? 0} events) |`,
    );
  }
  for (const version of [1, 2] as const) {
    console.log(`rounds v${version}: append CPU ms ${results[version].map((x) => x.append.cpuMs.toFixed(0)).join(' / ')}; verify CPU ms ${results[version].map((x) => x.verify.cpuMs.toFixed(0)).join(' / ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
