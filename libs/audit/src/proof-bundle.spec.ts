import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEvent } from '@ledger/events';
import { merkleRoot } from '@ledger/integrity';
import type { SqliteEventStore } from '@ledger/store/sqlite';
import {
  admitted,
  campaignSent,
  certificateEarned,
  courseStarted,
  fundingGranted,
  learnerActive,
  pathEnded,
  retracted,
  surveyAnswered,
  uuidOf,
} from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import { verifyLog } from './verify-log';
import { buildProofBundle as buildAnyBundle, PROOF_FORMAT, PUBLICATION_TYPE, type ProofBundle, type ProofBundleV1 } from './proof-bundle';

/** Format 1: these tests run on a v1 log (made as before leaf v2); proof-bundle-v2.spec.ts has v2 and erased events. */
async function buildProofBundle(...args: Parameters<typeof buildAnyBundle>): Promise<ProofBundleV1> {
  const bundle = await buildAnyBundle(...args);
  if (bundle.format !== PROOF_FORMAT) throw new Error(`expected a format 1 bundle, got ${bundle.format}`);
  return bundle;
}

/** The stand-alone verifier an outside auditor runs: plain CommonJS, so required, not imported. */
const VERIFIER = join(__dirname, '..', '..', '..', 'tools', 'verify-proof.js');
interface Verdict {
  readonly ok: boolean;
  readonly checked: string[];
  readonly failure?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require(VERIFIER) as { verifyProofBundle(bundle: unknown): Verdict };

/** Twenty events of nine types: learners, a campaign (no learnerId), and strings that trip hand-written JSON. */
const EVENTS: LedgerEvent[] = [
  admitted(1, 'L1', 'A1'),
  surveyAnswered(2, 'L1'),
  courseStarted(3, 'L1'),
  campaignSent(4),
  learnerActive(5, 'L1'),
  fundingGranted(6, 'L1', 'employer'),
  admitted(7, 'L2', 'A7'),
  courseStarted(8, 'L2'),
  certificateEarned(9, 'L1', '2020-04-02T10:00:00+02:00'),
  learnerActive(10, 'L2'),
  pathEnded(11, 'L1', 'A1'),
  learnerActive(12, 'L3-é😀'),
  { ...courseStarted(13, 'L3-é😀'), data: { courseId: 'C"13\\\u2028é😀\u0000', theme: 'data' } },
  retracted(14, 'L2', uuidOf(10)),
  campaignSent(15, '2020-06-01T12:00:00.5+05:30'),
  admitted(16, 'L4', 'A16'),
  surveyAnswered(17, 'L4'),
  courseStarted(18, 'L4'),
  fundingGranted(19, 'L4', 'public-aid'),
  learnerActive(20, 'L4'),
];

/** A sealed publication, as `ReportPublished` will carry it (the type is not in this checkout's catalog yet). */
function publication(n: number, publicationId: string, seal: unknown): LedgerEvent {
  return {
    eventId: uuidOf(n, 0xbb),
    type: PUBLICATION_TYPE,
    occurredAt: '2021-01-15T09:00:00Z',
    data: { publicationId, report: { from: '2020-01-01', to: '2020-12-31' }, seal },
  } as unknown as LedgerEvent;
}

async function leafHashes(store: SqliteEventStore, treeSize: number): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  for await (const record of store.readAll(1, { toPosition: treeSize })) leaves.push(Buffer.from(record.hash, 'hex'));
  return leaves;
}

/** A copy of a bundle to tamper with (JSON round trip: what the verifier reads from a file). */
function copy(bundle: ProofBundle): Record<string, any> {
  return JSON.parse(JSON.stringify(bundle)) as Record<string, any>;
}

/** The last hex digit changed: one bit of a hash. */
function flipLastDigit(hex: string): string {
  return hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
}

describe('buildProofBundle and tools/verify-proof.js', () => {
  let sut: ReturnType<typeof tempSqliteStore>;
  beforeEach(() => {
    sut = tempSqliteStore(undefined, { newLogLeafVersion: 1 });
  });
  afterEach(() => sut.dispose());

  it.each([1, 2, 3, 7, 20])('proves every event of a log of %i events, which the verifier accepts', async (size) => {
    await sut.store.append({ events: EVENTS.slice(0, size) });
    const { merkleRoot: logRoot } = await verifyLog(sut.store);
    for (const [index, event] of EVENTS.slice(0, size).entries()) {
      const bundle = await buildProofBundle(sut.store, event.eventId);
      const record = (await sut.store.findEvents([event.eventId])).get(event.eventId);
      expect(bundle).toMatchObject({ format: PROOF_FORMAT, leafIndex: index, treeSize: size, rootHash: logRoot, leafHash: record?.hash });
      expect(bundle.event).toEqual({ ...record, hash: undefined, chain: undefined });
      expect(Object.keys(bundle.event)).not.toContain('hash');
      expect(bundle.sealedBy).toBeUndefined();
      // Built without a signer, as before signed checkpoints: it verifies, saying the signer was not checked.
      expect(verifyProofBundle(copy(bundle))).toEqual({
        ok: true,
        checked: expect.arrayContaining([expect.stringMatching(/leads to rootHash/)]),
        notChecked: [expect.stringMatching(/^no checkpoint: signer not checked/)],
      });
    }
  });

  it('proves each event against the log as it grows, the same event getting a new root each time', async () => {
    const roots = new Set<string>();
    for (const event of EVENTS.slice(0, 9)) {
      await sut.store.append({ events: [event] });
      const bundle = await buildProofBundle(sut.store, EVENTS[0]?.eventId ?? '');
      expect(verifyProofBundle(copy(bundle)).ok).toBe(true);
      roots.add(bundle.rootHash);
    }
    expect(roots.size).toBe(9);
  });

  describe('the verifier refuses a bundle with anything changed, naming it', () => {
    let bundle: ProofBundle;
    beforeEach(async () => {
      await sut.store.append({ events: EVENTS });
      bundle = await buildProofBundle(sut.store, EVENTS[12]?.eventId ?? '');
      expect(bundle.leafIndex).toBe(12);
      expect(verifyProofBundle(copy(bundle)).ok).toBe(true);
    });

    const cases: Array<[string, (b: Record<string, any>) => void, RegExp]> = [
      ['a changed byte in event.data', (b) => (b.event.data = b.event.data.replace('"theme":"data"', '"theme":"date"')), /the event does not hash to leafHash/],
      ['a changed event.recordedAt', (b) => (b.event.recordedAt = b.event.recordedAt.replace(/Z$/, '+00:00')), /the event does not hash to leafHash/],
      ['a learnerId removed', (b) => (b.event.learnerId = null), /the event does not hash to leafHash/],
      ['a changed leafHash', (b) => (b.leafHash = flipLastDigit(b.leafHash)), /the event does not hash to leafHash/],
      ['a changed proof node', (b) => (b.inclusionProof[1] = flipLastDigit(b.inclusionProof[1])), /the inclusion proof leads to root [0-9a-f]{64}, not to rootHash/],
      ['a proof node left out', (b) => b.inclusionProof.pop(), /the inclusion proof has 4 nodes: wrong for leaf 12 of a tree of 20/],
      ['a proof node added', (b) => b.inclusionProof.push(b.leafHash), /the inclusion proof has 6 nodes: wrong for leaf 12 of a tree of 20/],
      ['a wrong leafIndex', (b) => (b.leafIndex = 13), /leafIndex 13 is not the event's position 13 minus 1/],
      ['a leafIndex outside the tree', (b) => (b.leafIndex = 20), /leafIndex 20 is not a leaf of a tree of treeSize 20/],
      ['a wrong treeSize', (b) => (b.treeSize = 64), /the inclusion proof has 5 nodes: wrong for leaf 12 of a tree of 64/],
      ['a different rootHash', (b) => (b.rootHash = flipLastDigit(b.rootHash)), /not to rootHash/],
      ['a position given as text', (b) => (b.event.position = '13'), /event.position is not a positive integer/],
      ['data that is not JSON', (b) => (b.event.data = `${b.event.data},"type":"X"`), /event.data is not JSON text/],
      ['another format', (b) => (b.format = 'impact-ledger-proof/3'), /format is "impact-ledger-proof\/3", not impact-ledger-proof\/1 or impact-ledger-proof\/2/],
      ['format 1 relabelled 2', (b) => (b.format = 'impact-ledger-proof/2'), /unknown member "event": no hash or signature covers it/],
      ['an upper-case rootHash', (b) => (b.rootHash = b.rootHash.toUpperCase()), /rootHash is not 64 lower-case hex digits/],
    ];
    it.each(cases)('%s', (_name, change, failure) => {
      const tampered = copy(bundle);
      change(tampered);
      expect(tampered).not.toEqual(copy(bundle));
      const verdict = verifyProofBundle(tampered);
      expect(verdict.ok).toBe(false);
      expect(verdict.failure).toMatch(failure);
    });

    it('refuses what is not a bundle at all', () => {
      for (const notABundle of [null, 42, 'proof', [], {}, { format: PROOF_FORMAT }]) {
        expect(verifyProofBundle(notABundle)).toMatchObject({ ok: false, failure: expect.any(String) });
      }
    });
  });

  it('refuses an unknown event id, naming it', async () => {
    await sut.store.append({ events: EVENTS.slice(0, 3) });
    await expect(buildProofBundle(sut.store, uuidOf(99))).rejects.toThrow(`no event with id ${uuidOf(99)} in the log`);
  });

  it('refuses to prove an event altered in the SQLite file, whether its data or its stored hash', async () => {
    await sut.store.append({ events: EVENTS });
    const db = sut.store.connection;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"courseId":"C8","theme":"design"}', 8);
    await expect(buildProofBundle(sut.store, uuidOf(8))).rejects.toThrow(`event ${uuidOf(8)} at position 8 has been altered`);
    db.prepare('UPDATE events SET hash = zeroblob(32) WHERE position = ?').run(9);
    await expect(buildProofBundle(sut.store, uuidOf(9))).rejects.toThrow(/at position 9 has been altered/);
    // Events left alone are still proven (against the log as it now is).
    expect(verifyProofBundle(copy(await buildProofBundle(sut.store, uuidOf(10)))).ok).toBe(true);
  });

  it('refuses a proof over a log with a position missing', async () => {
    await sut.store.append({ events: EVENTS });
    sut.store.connection.prepare('DELETE FROM events WHERE position = ?').run(4);
    await expect(buildProofBundle(sut.store, uuidOf(10))).rejects.toThrow('position 4 is missing from the log');
  });

  describe('--against a sealed publication', () => {
    let sealedRoot: string;
    const sealed = 12;
    beforeEach(async () => {
      await sut.store.append({ events: EVENTS.slice(0, sealed) });
      sealedRoot = merkleRoot(await leafHashes(sut.store, sealed)).toString('hex');
      await sut.store.append({ events: [publication(1, 'pub-2020', { treeSize: sealed, merkleRoot: sealedRoot })] });
      await sut.store.append({ events: EVENTS.slice(sealed) });
      expect((await sut.store.head()).position).toBe(21);
    });

    it('proves each sealed event in the sealed tree: its size, its root, the publication named', async () => {
      const headRoot = (await verifyLog(sut.store)).merkleRoot;
      for (const event of EVENTS.slice(0, sealed)) {
        const bundle = await buildProofBundle(sut.store, event.eventId, 'pub-2020');
        expect(bundle).toMatchObject({
          treeSize: sealed,
          rootHash: sealedRoot,
          sealedBy: { publicationId: 'pub-2020', eventId: uuidOf(1, 0xbb), position: 13 },
        });
        expect(bundle.rootHash).not.toBe(headRoot);
        expect(verifyProofBundle(copy(bundle)).ok).toBe(true);
      }
    });

    it('takes an upper-case sealed root as the same root', async () => {
      await sut.store.append({ events: [publication(2, 'pub-upper', { treeSize: 5, merkleRoot: merkleRoot(await leafHashes(sut.store, 5)).toString('hex').toUpperCase() })] });
      const bundle = await buildProofBundle(sut.store, uuidOf(5), 'pub-upper');
      expect(bundle).toMatchObject({ treeSize: 5, rootHash: merkleRoot(await leafHashes(sut.store, 5)).toString('hex') });
    });

    it('refuses an event recorded after the sealed tree, the publication itself included', async () => {
      await expect(buildProofBundle(sut.store, EVENTS[sealed]?.eventId ?? '', 'pub-2020')).rejects.toThrow(
        `is at position 14, after the 12 events sealed by publication pub-2020: it is not in that tree`,
      );
      await expect(buildProofBundle(sut.store, uuidOf(1, 0xbb), 'pub-2020')).rejects.toThrow(/at position 13, after the 12 events/);
    });

    it('refuses an unknown publication, naming it', async () => {
      await expect(buildProofBundle(sut.store, uuidOf(1), 'pub-1999')).rejects.toThrow('no sealed publication pub-1999 in the log');
    });

    it('refuses a publication without a valid seal', async () => {
      await sut.store.append({ events: [publication(3, 'pub-unsealed', { treeSize: 'all', merkleRoot: sealedRoot })] });
      await expect(buildProofBundle(sut.store, uuidOf(1), 'pub-unsealed')).rejects.toThrow(/publication pub-unsealed .* has no valid seal/);
    });

    it('reports a seal whose root the log does not match as tampering', async () => {
      const otherRoot = merkleRoot(await leafHashes(sut.store, 7)).toString('hex');
      await sut.store.append({ events: [publication(4, 'pub-forged', { treeSize: 8, merkleRoot: otherRoot })] });
      await expect(buildProofBundle(sut.store, uuidOf(2), 'pub-forged')).rejects.toThrow(
        new RegExp(`the log no longer matches the root sealed by publication pub-forged .*the sealed root is ${otherRoot}. The log was altered after it was sealed`),
      );
    });

    it('reports a stored hash rewritten after the seal as tampering, though the event proven is intact', async () => {
      sut.store.connection.prepare('UPDATE events SET hash = zeroblob(32) WHERE position = ?').run(3);
      await expect(buildProofBundle(sut.store, uuidOf(10), 'pub-2020')).rejects.toThrow(/the log no longer matches the root sealed by publication pub-2020/);
      // Without the seal the rewritten log proves itself: which is why the auditor compares roots.
      const unsealed = await buildProofBundle(sut.store, uuidOf(10));
      expect(verifyProofBundle(copy(unsealed)).ok).toBe(true);
      expect(unsealed.rootHash).not.toBe(sealedRoot);
    });
  });

  describe('as an outside auditor runs it: node verify-proof.js <file>', () => {
    let bundle: ProofBundle;
    let file: string;
    beforeEach(async () => {
      await sut.store.append({ events: EVENTS });
      bundle = await buildProofBundle(sut.store, EVENTS[3]?.eventId ?? '');
      file = join(sut.dir, 'proof.json');
      writeFileSync(file, JSON.stringify(bundle, null, 2));
    });
    const run = (args: string[], cwd?: string) => spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000, ...(cwd ? { cwd } : {}) });

    it('exits 0 and says what it checked', () => {
      const result = run([VERIFIER, file]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`ok: event ${uuidOf(4)} (OutreachCampaignSent) at position 4 is leaf 3 of a tree of 20`);
      expect(result.stdout).toContain(`ok: the event's canonical record hashes to leafHash ${bundle.leafHash}`);
      expect(result.stdout).toContain(`ok: its inclusion proof (5 nodes) leads to rootHash ${bundle.rootHash}`);
      expect(result.stdout).toMatch(/VERIFIED, signer not checked\. To trust rootHash, pass --key with the ledger key published with the report, or check that a published report seals the same root [0-9a-f]{64} for a tree of 20 events/);
    });

    it('needs nothing but its own file: a copy alone in an empty folder verifies the bundle', () => {
      const alone = mkdtempSync(join(tmpdir(), 'auditor-'));
      try {
        copyFileSync(VERIFIER, join(alone, 'verify-proof.js'));
        copyFileSync(file, join(alone, 'bundle.json'));
        const result = run(['verify-proof.js', 'bundle.json'], alone);
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('VERIFIED');
      } finally {
        rmSync(alone, { recursive: true, force: true });
      }
    });

    it('exits 1 naming what failed when the bundle was altered', () => {
      const tampered = copy(bundle);
      tampered.event.data = tampered.event.data.replace('1200', '1201');
      writeFileSync(file, JSON.stringify(tampered));
      const result = run([VERIFIER, file]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^REFUSED: the event does not hash to leafHash/);
      expect(result.stdout).not.toContain('VERIFIED');
    });

    it('exits 1 on a file that is not JSON, 2 without a file', () => {
      writeFileSync(file, '{"format":');
      expect(run([VERIFIER, file])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^REFUSED: cannot read .*proof\.json as JSON/) });
      expect(run([VERIFIER])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^usage: node verify-proof\.js/) });
    });
  });
});
