import { generateKeyPairSync } from 'node:crypto';
import { cosignCheckpoint, Ed25519Cosigner, Ed25519NoteSigner, parseNote, signCheckpoint } from '@ledger/integrity';
import { acceptedWitnessKeys, withCosignatures } from './cosignatures';

const log = Ed25519NoteSigner.fromPrivateKey('ledger.test/impact-ledger/abc', generateKeyPairSync('ed25519').privateKey);
const witness = (name: string) => Ed25519Cosigner.fromPrivateKey(name, generateKeyPairSync('ed25519').privateKey);

describe('collected cosignatures (libs/audit/src/cosignatures.ts)', () => {
  it('accepts cosignature vkeys (0x04) only, comma-separated, naming a bad one', () => {
    const a = witness('a');
    const b = witness('b');
    expect(acceptedWitnessKeys(` ${a.verifierKey()} ,${b.verifierKey()}, `).map((v) => v.name)).toEqual(['a', 'b']);
    expect(acceptedWitnessKeys('')).toEqual([]);
    expect(() => acceptedWitnessKeys(`${a.verifierKey()},${log.verifierKey()}`)).toThrow(/LEDGER_WITNESS_KEYS, key 2 .*not a cosignature key/);
    expect(() => acceptedWitnessKeys('a+00000000+AAAA')).toThrow(/LEDGER_WITNESS_KEYS, key 1/);
  });

  it('serves the latest cosignature of each witness for this checkpoint only, within 100 signature lines', () => {
    const note = signCheckpoint({ origin: log.name, size: 3, rootHash: Buffer.alloc(32, 1), extensions: [] }, log);
    const text = parseNote(note).text;
    const witnesses = Array.from({ length: 120 }, (_, i) => witness(`w${i}`));
    const collected = witnesses.flatMap((w, i) =>
      [10, 20].map((t) => {
        const signature = parseNote(cosignCheckpoint(note, log.verifier(), w, 1000 + t + i)).signatures[1];
        if (!signature) throw new Error('no cosignature');
        return { treeSize: 3, checkpoint: text, witness: `${w.name}+${w.keyId.toString(16).padStart(8, '0')}`, line: `— ${signature.name} ${signature.base64}`, cosignedAt: 1000 + t + i, receivedAt: 'x' };
      }),
    );
    const other = { ...collected[0], checkpoint: `${text}ext\n`, witness: 'other+00000000' } as (typeof collected)[number];
    const served = withCosignatures({ treeSize: 3, signedAt: 'x', note }, [other, ...collected.reverse()]);
    const lines = parseNote(served).signatures;
    expect(lines).toHaveLength(100);
    expect(lines[0]?.name).toBe(log.name);
    expect(lines.some((s) => s.name === 'other')).toBe(false);
    // Each witness once, with its later (t = 20) cosignature.
    expect(new Set(lines.map((s) => s.name)).size).toBe(100);
    expect(lines.slice(1).every((s) => s.signature.readBigUInt64BE(0) === BigInt(1020 + Number(s.name.slice(1))))).toBe(true);
  });
});
