import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckpointSource } from '@ledger/audit';
import { checkLogAndSeals, consistencyProofOf, ledgerOrigin, openTrusted, readWitnessState, signHead, storedTree, witnessRound } from '@ledger/audit';
import { Ed25519Cosigner, Ed25519NoteSigner, signCheckpoint } from '@ledger/integrity';
import type { LedgerEvent } from '@ledger/events';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { syntheticEvents } from './synthetic-events';

/**
 * The costs of issue 9's "Done when" (docs/signed-checkpoints.md, "Measured costs"), on a
 * synthetic SQLite ledger loaded for at most BENCH_LOAD_SECONDS (default 120) or up to
 * BENCH_EVENTS events (default 11,000,000), whichever comes first:
 * - signing one checkpoint: Ed25519 over the note alone, and `signHead` (read every stored leaf
 *   hash, the RFC 6962 root, sign, keep); then, the log grown by 1%, `signHead` from every leaf
 *   against `signHead` from the frontier kept with the last checkpoint (incremental), in turn;
 * - one witness round on the database (latest checkpoint, consistency proof from the held one,
 *   verify, cosign, store), after the log grew by 1%;
 * - the log part of an audit with and without two trusted checkpoints (every leaf recomputed,
 *   chain, roots at the trusted sizes).
 * `npm run build && node dist/bench/checkpoint-costs.js`
 */
async function main(): Promise<void> {
  const loadSeconds = Number(process.env['BENCH_LOAD_SECONDS'] ?? 120);
  const target = Number(process.env['BENCH_EVENTS'] ?? 11_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-costs-'));
  const store = new SqliteEventStore(join(dir, 'ledger.db'));
  try {
    const started = performance.now();
    // An iterator read by hand: the events after the load stay available (a `for...of` that breaks would close it).
    const events = syntheticEvents(target + Math.ceil(target / 50), 9)[Symbol.iterator]();
    let batch: LedgerEvent[] = [];
    let loaded = 0;
    for (let next = events.next(); next.done !== true && loaded + batch.length < target; next = events.next()) {
      const event = next.value;
      batch.push(event);
      if (batch.length === 20_000) {
        await store.append({ events: batch });
        loaded += batch.length;
        batch = [];
        if ((performance.now() - started) / 1000 > loadSeconds) break;
      }
    }
    if (batch.length > 0 && (performance.now() - started) / 1000 <= loadSeconds) {
      await store.append({ events: batch });
      loaded += batch.length;
    }
    const loadTime = (performance.now() - started) / 1000;
    console.log(`loaded ${loaded} events in ${loadTime.toFixed(1)} s (${Math.round(loaded / loadTime)} events/s)`);

    const signer = Ed25519NoteSigner.fromPrivateKey(ledgerOrigin('ledger.bench', (await store.identity()).logId), generateKeyPairSync('ed25519').privateKey);
    const rounds = 2000;
    const sample = { origin: signer.name, size: loaded, rootHash: Buffer.alloc(32, 7), extensions: [] };
    let t = performance.now();
    for (let i = 0; i < rounds; i++) signCheckpoint({ ...sample, size: loaded + i }, signer);
    console.log(`Ed25519 signature of a checkpoint note alone: ${(((performance.now() - t) * 1000) / rounds).toFixed(1)} µs (mean of ${rounds})`);

    // The held checkpoint: the log as loaded, less 1%; the ledger then signs the head.
    const heldSize = Math.floor(loaded * 0.99);
    const cosigner = Ed25519Cosigner.fromPrivateKey('witness.bench', generateKeyPairSync('ed25519').privateKey);
    const stateDir = join(dir, 'witness');
    const source: CheckpointSource = {
      name: 'bench',
      latest: async () => (await store.checkpoints(1))[0]?.note ?? null,
      consistency: async (from, to) => (await consistencyProofOf(store, from, to)).proof,
    };
    // Held: a checkpoint of the first 99% (signed as the ledger would have then), cosigned once.
    const heldTree = await storedTree(store, heldSize);
    const heldNote = signCheckpoint({ origin: signer.name, size: heldSize, rootHash: heldTree.root, extensions: [] }, signer);
    await store.saveCheckpoint({ treeSize: heldSize, signedAt: '2021-01-01T00:00:00.000Z', note: heldNote });
    await witnessRound(source, readWitnessState(stateDir, signer.verifierKey()), cosigner, 1);

    t = performance.now();
    const signed = await signHead(store, signer, '2021-01-02T00:00:00.000Z');
    console.log(`signHead (read ${signed.treeSize} leaf hashes, root, sign, keep): ${((performance.now() - t) / 1000).toFixed(2)} s`);

    t = performance.now();
    const round = await witnessRound(source, readWitnessState(stateDir), cosigner, 2);
    console.log(`one witness round on the database, ${heldSize} -> ${round.checkpoint.size} (consistency proof over the stored leaves, verify, cosign, store): ${((performance.now() - t) / 1000).toFixed(2)} s`);

    // Incremental signing: the frontier kept with the last checkpoint, then only the new leaves.
    // The head signed from every leaf (and its frontier kept), the log grown by 1%, then the
    // grown head signed both ways, in turn, twice.
    await signHead(store, signer, '2021-01-03T00:00:00.000Z', { incremental: false });
    const grownBy = Math.max(1, Math.floor(loaded / 100));
    const more: LedgerEvent[] = [];
    for (let next = events.next(); next.done !== true && more.length < grownBy; next = events.next()) more.push(next.value);
    for (let at = 0; at < more.length; at += 20_000) await store.append({ events: more.slice(at, at + 20_000) });
    const grownHead = (await store.head()).position;
    const timesOf: Record<'full' | 'incremental', number[]> = { full: [], incremental: [] };
    let lastRoots: string[] = [];
    for (let round = 0; round < 2; round++) {
      const roots: string[] = [];
      for (const how of ['full', 'incremental'] as const) {
        // Each measurement starts from the checkpoint of the pre-growth head and its frontier.
        await store.saveCheckpoint(
          { treeSize: signed.treeSize, signedAt: '2021-01-04T00:00:00.000Z', note: signed.note },
          (await store.checkpointFrontier(signed.treeSize)) ?? undefined,
        );
        t = performance.now();
        const made = await signHead(store, signer, '2021-01-05T00:00:00.000Z', { incremental: how === 'incremental' });
        timesOf[how].push((performance.now() - t) / 1000);
        roots.push(made.checkpoint.rootHash.toString('hex'));
      }
      lastRoots = roots;
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.log(
      `signHead at ${grownHead} events, ${grownHead - signed.treeSize} new since the last checkpoint: full (every leaf) ${timesOf.full.map((x) => x.toFixed(3)).join(' / ')} s, ` +
        `incremental (frontier + new leaves) ${timesOf.incremental.map((x) => x.toFixed(3)).join(' / ')} s; ratio incremental/full (best of each) ${(best(timesOf.incremental) / best(timesOf.full)).toFixed(4)}; ` +
        `roots ${lastRoots[0] === lastRoots[1] ? 'equal' : 'DIFFER'}`,
    );

    const head = (await store.head()).position;
    t = performance.now();
    const plain = await checkLogAndSeals(store, head);
    const withoutTrusted = (performance.now() - t) / 1000;
    const trusted = openTrusted(
      [
        { source: 'held', note: heldNote },
        { source: 'latest', note: signed.note },
      ],
      signer.verifier(),
      [cosigner.verifier()],
    );
    t = performance.now();
    const checked = await checkLogAndSeals(store, head, undefined, trusted);
    const withTrusted = (performance.now() - t) / 1000;
    console.log(
      `audit, log part (every leaf recomputed, chain, seals): ${withoutTrusted.toFixed(2)} s without, ${withTrusted.toFixed(2)} s with 2 trusted checkpoints ` +
        `(log ${plain.log.ok ? 'ok' : 'NOT ok'}; trusted ${checked.trusted?.map((c) => (c.ok ? 'contained' : c.problem)).join(', ')})`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
