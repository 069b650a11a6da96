import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEvent } from '@ledger/events';
import { cosignCheckpoint, Ed25519Cosigner, Ed25519NoteSigner, merkleRoot, openCheckpoint } from '@ledger/integrity';
import { admitted, courseStarted, learnerActive, surveyAnswered, uuidOf } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import { buildProofBundle, PUBLICATION_TYPE, type ProofBundle } from './proof-bundle';

/** The stand-alone verifier an outside auditor runs: plain CommonJS, so required, not imported. */
const VERIFIER = join(__dirname, '..', '..', '..', 'tools', 'verify-proof.js');
interface Verdict {
  readonly ok: boolean;
  readonly checked: string[];
  readonly notChecked?: string[];
  readonly failure?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require(VERIFIER) as { verifyProofBundle(bundle: unknown, options?: { key?: string; witnessKeys?: string[] }): Verdict };

const ORIGIN = 'ledger.example.org/impact-ledger/0123456789abcdef0123456789abcdef';
const signerOf = (name: string) => Ed25519NoteSigner.fromPrivateKey(name, generateKeyPairSync('ed25519').privateKey);

/** A sealed publication, as `ReportPublished` carries it. */
function publication(publicationId: string, seal: unknown): LedgerEvent {
  return {
    eventId: uuidOf(1, 0xbb),
    type: PUBLICATION_TYPE,
    occurredAt: '2021-01-15T09:00:00Z',
    data: { publicationId, report: { from: '2020-01-01', to: '2020-12-31' }, seal },
  } as unknown as LedgerEvent;
}

const EVENTS: LedgerEvent[] = [admitted(1, 'L1', 'A1'), surveyAnswered(2, 'L1'), courseStarted(3, 'L1'), learnerActive(4, 'L1'), admitted(5, 'L2', 'A5')];

/** A copy to tamper with (JSON round trip: what the verifier reads from a file). */
function copy(bundle: ProofBundle): Record<string, any> {
  return JSON.parse(JSON.stringify(bundle)) as Record<string, any>;
}

describe.each([1, 2] as const)('proof bundles with the signed checkpoint of their tree (leaf v%i)', (leafVersion) => {
  let sut: ReturnType<typeof tempSqliteStore>;
  const signer = signerOf(ORIGIN);
  const key = signer.verifierKey();
  let head: ProofBundle;
  let sealed: ProofBundle;
  beforeEach(async () => {
    sut = tempSqliteStore(undefined, { newLogLeafVersion: leafVersion });
    await sut.store.append({ events: EVENTS.slice(0, 3) });
    const leaves: Buffer[] = [];
    for await (const record of sut.store.readAll(1, { toPosition: 3 })) leaves.push(Buffer.from(record.hash, 'hex'));
    await sut.store.append({ events: [publication('pub-2020', { treeSize: 3, merkleRoot: merkleRoot(leaves).toString('hex') })] });
    await sut.store.append({ events: EVENTS.slice(3) });
    head = await buildProofBundle(sut.store, uuidOf(2), undefined, signer);
    sealed = await buildProofBundle(sut.store, uuidOf(2), 'pub-2020', signer);
  });
  afterEach(() => sut.dispose());

  it('embeds a checkpoint of the tree signed by the log key: size, root, and the seal as extension lines', () => {
    const opened = openCheckpoint(head.checkpoint ?? '', { logKey: signer.verifier(), origin: ORIGIN }).checkpoint;
    expect(opened).toEqual({ origin: ORIGIN, size: 6, rootHash: Buffer.from(head.rootHash, 'hex'), extensions: [] });
    const ofSeal = openCheckpoint(sealed.checkpoint ?? '', { logKey: signer.verifier() }).checkpoint;
    expect(ofSeal).toEqual({ origin: ORIGIN, size: 3, rootHash: Buffer.from(sealed.rootHash, 'hex'), extensions: ['publication pub-2020', `seal ${uuidOf(1, 0xbb)} 4`] });
  });

  it('verifies with the ledger key, and without it says the signer was not checked', () => {
    for (const bundle of [head, sealed]) {
      const withKey = verifyProofBundle(copy(bundle), { key });
      expect(withKey.ok).toBe(true);
      expect(withKey.checked.at(-1)).toBe(`the checkpoint is signed by the key given, ${key.split('+').slice(0, 2).join('+')}`);
      expect(withKey.notChecked?.join('\n') ?? '').not.toMatch(/signer/);
      const without = verifyProofBundle(copy(bundle));
      expect(without.ok).toBe(true);
      expect(without.notChecked).toContainEqual(expect.stringMatching(/^the checkpoint's signer: no --key given/));
    }
  });

  it('keeps a bundle without a checkpoint verifying, saying so, and refuses it with --key', () => {
    const old = copy(sealed);
    delete old.checkpoint;
    expect(verifyProofBundle(old)).toMatchObject({ ok: true, notChecked: expect.arrayContaining([expect.stringMatching(/^no checkpoint: signer not checked/)]) });
    expect(verifyProofBundle(old, { key })).toMatchObject({ ok: false, failure: expect.stringMatching(/^no checkpoint in the bundle: the signer asked for \(--key\) cannot be checked/) });
  });

  describe('refuses what no hash or signature covers', () => {
    const cases: [string, (b: Record<string, any>) => void, RegExp][] = [
      ['an unknown top-level member', (b) => (b.note = 'trust me'), /unknown member "note": no hash or signature covers it/],
      ['an unknown member in the event or leaf', (b) => ((b.event ?? b.leaf).comment = 'x'), /unknown member (event|leaf)\.comment/],
      ['an unknown member in sealedBy', (b) => (b.sealedBy.signedOff = true), /unknown member sealedBy\.signedOff: no signature covers it/],
      ['a changed publication id', (b) => (b.sealedBy.publicationId = 'pub-2021'), /the checkpoint says "publication pub-2020", "seal .* 4", the bundle says sealedBy \("publication pub-2021"/],
      ['a changed seal position', (b) => (b.sealedBy.position = 5), /the publication or seal was changed/],
      ['sealedBy removed', (b) => delete b.sealedBy, /the bundle says no sealedBy \(no extension line\): the publication or seal was changed/],
      ['the checkpoint of another tree size', (b) => (b.checkpoint = head.checkpoint), /treeSize 3 is not the checkpoint's tree size 6/],
      ['a checkpoint that is not a string', (b) => (b.checkpoint = { note: b.checkpoint }), /checkpoint is not a string/],
      ['a checkpoint without signature', (b) => (b.checkpoint = String(b.checkpoint).split('\n\n')[0] + '\n'), /checkpoint: no blank line before the signatures/],
    ];
    it.each(cases)('%s', (_, change, failure) => {
      const bundle = copy(sealed);
      change(bundle);
      expect(verifyProofBundle(bundle)).toMatchObject({ ok: false, failure: expect.stringMatching(failure) });
    });

    it('a changed root in the checkpoint: the tree no longer matches, and re-signed text fails the signature', () => {
      const bundle = copy(sealed);
      const [text = '', signatures = ''] = String(bundle.checkpoint).split('\n\n');
      // An extension line changed: the body matches a forged sealedBy, but the signature does not.
      const forged = copy(sealed);
      forged.sealedBy.publicationId = 'pub-forged';
      forged.checkpoint = `${text.replace('publication pub-2020', 'publication pub-forged')}\n\n${signatures}`;
      expect(verifyProofBundle(forged).ok).toBe(true); // without a key, only the body is checked
      expect(verifyProofBundle(forged, { key })).toMatchObject({ ok: false, failure: expect.stringMatching(/signature by .* does not verify/) });
      bundle.checkpoint = `${text.replace(/\n[A-Za-z0-9+/]{43}=\n/, `\n${Buffer.alloc(32, 7).toString('base64')}\n`)}\n\n${signatures}`;
      expect(verifyProofBundle(bundle)).toMatchObject({ ok: false, failure: expect.stringMatching(/rootHash [0-9a-f]{64} is not the checkpoint's root 0707/) });
    });

    it("another ledger's key, or a key for another origin", () => {
      const other = signerOf(ORIGIN).verifierKey();
      expect(verifyProofBundle(copy(sealed), { key: other })).toMatchObject({ ok: false, failure: expect.stringMatching(/is not signed by the key given .* it is signed by ledger\.example\.org/) });
      const elsewhere = signerOf('ledger.example.net/impact-ledger/1').verifierKey();
      expect(verifyProofBundle(copy(sealed), { key: elsewhere })).toMatchObject({ ok: false, failure: expect.stringMatching(/origin .* is not the name of the key given/) });
      expect(verifyProofBundle(copy(sealed), { key: key.replace(/\+[0-9a-f]{8}\+/, '+00000000+') })).toMatchObject({ ok: false, failure: expect.stringMatching(/^--key: its key ID 00000000/) });
    });
  });

  describe('witness cosignatures (--witness-key)', () => {
    const witnessA = Ed25519Cosigner.fromPrivateKey('witness-a', generateKeyPairSync('ed25519').privateKey);
    const witnessB = Ed25519Cosigner.fromPrivateKey('witness-b', generateKeyPairSync('ed25519').privateKey);
    const cosigned = (bundle: ProofBundle, ...witnesses: Ed25519Cosigner[]): Record<string, any> => {
      const b = copy(bundle);
      for (const [i, w] of witnesses.entries()) b.checkpoint = cosignCheckpoint(String(b.checkpoint), signer.verifier(), w, 1_700_000_000 + i);
      return b;
    };
    const labelOf = (w: Ed25519Cosigner) => `${w.name}+${w.keyId.toString(16).padStart(8, '0')}`;

    it('checks each witness given, with or without --key, and says which; without one, says none was checked', () => {
      const both = cosigned(head, witnessA, witnessB);
      const verdict = verifyProofBundle(both, { key, witnessKeys: [witnessA.verifierKey(), witnessB.verifierKey()] });
      expect(verdict.ok).toBe(true);
      expect(verdict.checked.slice(-3)).toEqual([
        expect.stringMatching(/^the checkpoint is signed by the key given/),
        `the checkpoint is cosigned by the witness ${labelOf(witnessA)} (at 2023-11-14T22:13:20.000Z)`,
        `the checkpoint is cosigned by the witness ${labelOf(witnessB)} (at 2023-11-14T22:13:21.000Z)`,
      ]);
      expect(verifyProofBundle(both, { witnessKeys: [witnessB.verifierKey()] })).toMatchObject({ ok: true, notChecked: [expect.stringMatching(/^the checkpoint's signer: no --key given/)] });
      expect(verifyProofBundle(both, { key }).notChecked).toEqual(['witness cosignatures: no --witness-key given, none checked (the checkpoint carries 3 signature line(s) in all)']);
    });

    it('refuses a missing cosignature, a bad one, a changed checkpoint, a ledger key given as a witness key, and a bundle without checkpoint', () => {
      const onlyA = cosigned(head, witnessA);
      expect(verifyProofBundle(onlyA, { key, witnessKeys: [witnessA.verifierKey(), witnessB.verifierKey()] })).toMatchObject({
        ok: false,
        failure: `the checkpoint carries no cosignature by the witness ${labelOf(witnessB)} (--witness-key 2)`,
      });
      const [text = '', lines = ''] = String(onlyA.checkpoint).split('\n\n');
      const [ledgerLine = '', witnessLine = ''] = lines.split('\n');
      const bytes = Buffer.from(witnessLine.split(' ')[2] ?? '', 'base64');
      bytes[20] = (bytes[20] ?? 0) ^ 1;
      const bad = { ...onlyA, checkpoint: `${text}\n\n${ledgerLine}\n— witness-a ${bytes.toString('base64')}\n` };
      expect(verifyProofBundle(bad, { witnessKeys: [witnessA.verifierKey()] })).toMatchObject({ ok: false, failure: expect.stringMatching(/^the cosignature by the witness witness-a\+[0-9a-f]{8} does not verify/) });
      // The witness cosigned the head's checkpoint: moved onto another tree, its line no longer verifies.
      const moved = cosigned(sealed);
      moved.checkpoint = `${String(moved.checkpoint)}${witnessLine}\n`;
      expect(verifyProofBundle(moved, { key, witnessKeys: [witnessA.verifierKey()] })).toMatchObject({ ok: false, failure: expect.stringMatching(/cosignature by the witness witness-a.* does not verify/) });
      const short = { ...onlyA, checkpoint: `${text}\n\n${ledgerLine}\n— witness-a ${Buffer.concat([bytes.subarray(0, 4), Buffer.alloc(10)]).toString('base64')}\n` };
      expect(verifyProofBundle(short, { witnessKeys: [witnessA.verifierKey()] })).toMatchObject({ ok: false, failure: expect.stringMatching(/is 10 bytes after its key ID, not 72/) });
      expect(verifyProofBundle(onlyA, { witnessKeys: [key] })).toMatchObject({ ok: false, failure: expect.stringMatching(/^--witness-key 1: a key of type 0x01, not a witness cosignature key \(type 0x04/) });
      expect(verifyProofBundle(onlyA, { key: witnessA.verifierKey() })).toMatchObject({ ok: false, failure: expect.stringMatching(/^--key: a key of type 0x04, not the ledger's/) });
      expect(verifyProofBundle(onlyA, { witnessKeys: ['nonsense'] })).toMatchObject({ ok: false, failure: expect.stringMatching(/^--witness-key 1: not a verifier key/) });
      const old = copy(head);
      delete old.checkpoint;
      expect(verifyProofBundle(old, { witnessKeys: [witnessA.verifierKey()] })).toMatchObject({ ok: false, failure: expect.stringMatching(/^no checkpoint in the bundle: the witness cosignatures asked for \(--witness-key\)/) });
    });

    it('the command line: --witness-key VKEY or FILE, repeatable; exit 1 refused, 2 usage', () => {
      const dir = mkdtempSync(join(tmpdir(), 'verify-proof-'));
      try {
        const file = join(dir, 'proof.json');
        writeFileSync(file, JSON.stringify(cosigned(head, witnessA, witnessB)));
        writeFileSync(join(dir, 'witness.vkey'), `${witnessA.verifierKey()}\n`);
        const run = (...args: string[]) => spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8' });
        const ok = run('--key', key, '--witness-key', join(dir, 'witness.vkey'), file, '--witness-key', witnessB.verifierKey());
        expect(ok.status).toBe(0);
        expect(ok.stdout).toMatch(/ok: the checkpoint is cosigned by the witness witness-a[\s\S]*ok: the checkpoint is cosigned by the witness witness-b[\s\S]*VERIFIED\. .* The 2 witnesses given cosigned it\.\n$/);
        const none = run('--key', key, file);
        expect(none.stdout).toMatch(/not checked: witness cosignatures: no --witness-key given, none checked/);
        const other = Ed25519Cosigner.fromPrivateKey('witness-c', generateKeyPairSync('ed25519').privateKey);
        const refused = run('--witness-key', other.verifierKey(), file);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/^REFUSED: the checkpoint carries no cosignature by the witness witness-c\+[0-9a-f]{8} \(--witness-key 1\)/);
        expect(run('--witness-key', file).status).toBe(2); // the bundle file taken as the key: no bundle left, usage
        expect(run(file, '--witness-key').status).toBe(2);
        expect(run('--key', key, '--key', key, file).status).toBe(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('the command line: --key VKEY or FILE, exit 0 verified, 1 refused, 2 usage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-proof-'));
    try {
      const file = join(dir, 'proof.json');
      writeFileSync(file, JSON.stringify(sealed));
      writeFileSync(join(dir, 'ledger.vkey'), `${key}\n`);
      const run = (...args: string[]) => spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8' });
      const byFile = run('--key', join(dir, 'ledger.vkey'), file);
      expect(byFile.status).toBe(0);
      expect(byFile.stdout).toMatch(/VERIFIED\. The ledger key given signed this tree of 3 events, root [0-9a-f]{64}, sealed by publication pub-2020\.\n$/);
      expect(run(file, '--key', key).status).toBe(0);
      const noKey = run(file);
      expect(noKey.status).toBe(0);
      expect(noKey.stdout).toMatch(/not checked: the checkpoint's signer: no --key given[\s\S]*VERIFIED, signer not checked\./);
      const wrong = run('--key', signerOf(ORIGIN).verifierKey(), file);
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/^REFUSED: the checkpoint is not signed by the key given/);
      expect(run('--key').status).toBe(2);
      expect(run(file, file).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
