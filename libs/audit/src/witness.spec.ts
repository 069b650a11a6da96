import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ed25519Cosigner, Ed25519NoteSigner, EMPTY_ROOT, sha256, signCheckpoint } from '@ledger/integrity';
import { checkTrusted, openTrusted } from './trusted';
import type { CheckpointSource } from './witness';
import { readWitnessState, witnessRound, WitnessRefusal, WitnessUsageError } from './witness';

const ORIGIN = 'ledger.test/impact-ledger/00000000-0000-4000-8000-000000000001';
const key = (name: string) => Ed25519NoteSigner.fromPrivateKey(name, generateKeyPairSync('ed25519').privateKey);
const root = (n: number) => sha256(Buffer.from(`tree ${n}`));
const note = (signer: Ed25519NoteSigner, size: number, origin = signer.name) => signCheckpoint({ origin, size, rootHash: size === 0 ? EMPTY_ROOT : root(size), extensions: [] }, signer);
const serving = (text: string): CheckpointSource => ({ name: 'https://ledger.test', latest: async () => text, consistency: async () => [] });

describe('the checkpoint reader refuses, naming what is wrong (witness and audit --trusted)', () => {
  const ledger = key(ORIGIN);
  const cosigner = Ed25519Cosigner.fromPrivateKey('witness.test', generateKeyPairSync('ed25519').privateKey);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'witness-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = async (offered: string): Promise<WitnessRefusal> => {
    const error = await witnessRound(serving(offered), readWitnessState(dir, ledger.verifierKey()), cosigner, 1).catch((e: unknown) => e);
    if (!(error instanceof WitnessRefusal)) throw new Error(`not refused: ${String(error)}`);
    return error;
  };
  const audited = (offered: string) => checkTrusted(openTrusted([{ source: 'held.checkpoint', note: offered }], ledger.verifier(), []), { head: 10, rootsAt: new Map(), matching: [] })[0];

  const signedByLedger = note(ledger, 5);
  const cases: Array<[string, string, WitnessRefusal['kind'], RegExp]> = [
    ['malformed (no signature block)', `${ORIGIN}\n5\n${root(5).toString('base64')}\n`, 'malformed', /malformed: .*signature/],
    ['malformed (size line)', signedByLedger.replace('\n5\n', '\n05\n'), 'malformed', /malformed: checkpoint line 2/],
    ['signed by another key under the ledger name', note(key(ORIGIN), 5), 'bad-signature', /not validly signed by the ledger key/],
    ['a bad signature (one byte changed)', signedByLedger.replace(/ (\S)(\S+)\n$/, (_, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}\n`), 'bad-signature', /not validly signed/],
    ['a checkpoint of another log (other origin)', note(key('other.test/impact-ledger/x'), 5), 'other-origin', /other\.test\/impact-ledger\/x size 5 .*another log/],
  ];
  it.each(cases)('%s', async (_what, offered, kind, message) => {
    const error = await refusal(offered);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(readWitnessState(dir, ledger.verifierKey()).held).toBeNull(); // nothing stored
    const check = audited(offered);
    expect(check).toMatchObject({ ok: false, source: 'held.checkpoint', problem: expect.stringMatching(/^held\.checkpoint: /) });
  });

  it('a witness state of another ledger is refused, as is a folder that is not a witness state, or a new state without the ledger key', async () => {
    await witnessRound(serving(signedByLedger), readWitnessState(dir, ledger.verifierKey()), cosigner, 1);
    expect(readFileSync(join(dir, 'log.vkey'), 'utf8')).toBe(`${ledger.verifierKey()}\n`);
    expect(() => readWitnessState(dir, key('other.test/impact-ledger/y').verifierKey())).toThrow(WitnessRefusal);
    const other = mkdtempSync(join(tmpdir(), 'not-a-state-'));
    try {
      writeFileSync(join(other, 'notes.txt'), 'x');
      expect(() => readWitnessState(other, ledger.verifierKey())).toThrow(WitnessUsageError);
      rmSync(join(other, 'notes.txt'));
      expect(() => readWitnessState(other)).toThrow(/--log-key/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('the state holds the cosigned checkpoint: the ledger signature and the witness cosignature, both verified by an auditor', async () => {
    const round = await witnessRound(serving(signedByLedger), readWitnessState(dir, ledger.verifierKey()), cosigner, 1_700_000_000);
    expect(round.status).toBe('first');
    const [opened] = openTrusted([{ source: 'state', note: readFileSync(join(dir, 'checkpoint'), 'utf8') }], ledger.verifier(), [cosigner.verifier()]);
    expect(opened?.cosignedBy).toEqual([`witness.test+${cosigner.keyId.toString(16).padStart(8, '0')} at 1700000000`]);
  });
});
