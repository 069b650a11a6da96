import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { CheckpointError, formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type CheckpointRule } from './checkpoint';
import { leafHash } from './hashing';
import { consistencyProof, merkleRoot, verifyConsistency } from './merkle-tree';
import { LEAF_INPUTS_HEX, ROOTS_HEX } from './rfc6962-test-vectors';
import { Ed25519NoteSigner, NoteError, noteVerifier, parseNote, signNote } from './signed-note';
import {
  C2SP_CHECKPOINT,
  SUMDB_CHECKPOINT,
  SUMDB_VKEY,
  WITNESS_BANANAS_VKEY,
  WITNESS_CONSISTENCY_5_8_HEX,
  WITNESS_MONKEYS_5,
  WITNESS_MONKEYS_8,
  WITNESS_MONKEYS_SKEY,
  WITNESS_MONKEYS_VKEY,
} from './signed-note-test-vectors';

/** A fresh Ed25519 key: the library itself draws no randomness. */
const newKey = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

function checkpointErrorOf(call: () => unknown): CheckpointError {
  try {
    call();
  } catch (error) {
    if (error instanceof CheckpointError) return error;
    throw error;
  }
  throw new Error('expected a CheckpointError, nothing was thrown');
}

const ROOT_B64 = Buffer.from(ROOTS_HEX[7] as string, 'hex').toString('base64');

describe('published checkpoints', () => {
  it('C2SP tlog-checkpoint.md: the example body parses to its origin, size and root', () => {
    const { text } = parseNote(C2SP_CHECKPOINT);
    const checkpoint = parseCheckpoint(text);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(checkpoint.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(checkpoint.extensions).toEqual([]);
    expect(formatCheckpoint(checkpoint)).toBe(text);
  });

  it("C2SP tlog-checkpoint.md: the example's signature is the Go checksum database's, over origin 'go.sum database tree'", () => {
    // The spec renamed the origin and the signer of a real sum.golang.org checkpoint: as
    // printed it verifies under no key, and with its real origin and signer it does.
    const sumdb = noteVerifier(SUMDB_VKEY);
    const error = (() => {
      try {
        openCheckpoint(C2SP_CHECKPOINT, { logKey: sumdb });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NoteError);
    expect((error as NoteError).rule).toBe('no-known-signature');
    expect((error as NoteError).message).toContain('example.com/behind-the-sofa+033de0ae');
    const original = C2SP_CHECKPOINT.replace('example.com/behind-the-sofa\n', 'go.sum database tree\n').replace('\u2014 example.com/behind-the-sofa ', '\u2014 sum.golang.org ');
    expect(openCheckpoint(original, { logKey: sumdb }).checkpoint.size).toBe(20852163);
  });

  it('transparency-dev/witness: a sum.golang.org checkpoint opens with the production key (an origin with spaces is read)', () => {
    const opened = openCheckpoint(SUMDB_CHECKPOINT, { logKey: noteVerifier(SUMDB_VKEY), origin: 'go.sum database tree' });
    expect(opened.checkpoint.size).toBe(1514086);
    expect(opened.checkpoint.rootHash.toString('base64')).toBe('kn9DgqDhXzoZMM8828SQsbuovr/WRn7QfFd5Qe1rpwA=');
  });

  it('transparency-dev/witness: both monkeys checkpoints are re-signed byte for byte from the published signer key', () => {
    const signer = Ed25519NoteSigner.fromSignerKey(WITNESS_MONKEYS_SKEY);
    expect(signer.verifierKey()).toBe(WITNESS_MONKEYS_VKEY);
    for (const published of [WITNESS_MONKEYS_5, WITNESS_MONKEYS_8]) {
      const { checkpoint } = openCheckpoint(published, { logKey: noteVerifier(WITNESS_MONKEYS_VKEY), origin: 'monkeys' });
      expect(signCheckpoint(checkpoint, signer)).toBe(published);
    }
  });

  it('transparency-dev/witness: the published consistency proof links the size-5 and size-8 checkpoints', () => {
    const logKey = noteVerifier(WITNESS_MONKEYS_VKEY);
    const old = openCheckpoint(WITNESS_MONKEYS_5, { logKey }).checkpoint;
    const next = openCheckpoint(WITNESS_MONKEYS_8, { logKey }).checkpoint;
    const proof = WITNESS_CONSISTENCY_5_8_HEX.map((hex) => Buffer.from(hex, 'hex'));
    expect(verifyConsistency(old.size, next.size, old.rootHash, next.rootHash, proof)).toBe(true);
    expect(verifyConsistency(old.size, next.size, next.rootHash, next.rootHash, proof)).toBe(false);
  });

  it('transparency-dev/witness: a checkpoint checked against another log key is refused, naming who signed it', () => {
    try {
      openCheckpoint(WITNESS_MONKEYS_5, { logKey: noteVerifier(WITNESS_BANANAS_VKEY) });
      throw new Error('opened');
    } catch (error) {
      expect(error).toBeInstanceOf(NoteError);
      expect((error as NoteError).rule).toBe('no-known-signature');
      expect((error as NoteError).message).toContain('known: bananas+cf639f13; signed by: monkeys+db4d9f7e (line 5)');
    }
  });

  it('transparency-dev/formats log/checkpoint_test.go: inputs it accepts that this strict parser refuses, and why', () => {
    // A root of 7 bytes ("bananas") is not an RFC 6962 SHA-256 root.
    expect(checkpointErrorOf(() => parseCheckpoint('Log\n123\nYmFuYW5hcw==\n')).rule).toBe('root-hash');
    // Trailing blank lines are empty extension lines, which tlog-checkpoint forbids.
    expect(checkpointErrorOf(() => parseCheckpoint(`Log\n9944\n${ROOT_B64}\n\n\n\n`)).rule).toBe('extension');
  });
});

describe('checkpoint body: strict parse, every refusal named', () => {
  it.each<[string, string, CheckpointRule, number | undefined]>([
    ['a text without final newline', `o\n1\n${ROOT_B64}`, 'text', 3],
    ['a control character', `o\n1\n${ROOT_B64}\next\u0007\n`, 'text', 4],
    ['an empty origin', `\n1\n${ROOT_B64}\n`, 'origin', 1],
    ['no size line', 'o\n', 'missing-line', 2],
    ['no root line', 'o\n1\n', 'missing-line', 3],
    ['an empty size', `o\n\n${ROOT_B64}\n`, 'size', 2],
    ['a size that is not a number', `o\nbananas\n${ROOT_B64}\n`, 'size', 2],
    ['a negative size', `o\n-34\n${ROOT_B64}\n`, 'size', 2],
    ['a size with a plus sign', `o\n+5\n${ROOT_B64}\n`, 'size', 2],
    ['a size with a leading zero', `o\n0123\n${ROOT_B64}\n`, 'size', 2],
    ['a size with a space', `o\n 5\n${ROOT_B64}\n`, 'size', 2],
    ['a size in hex', `o\n0x10\n${ROOT_B64}\n`, 'size', 2],
    ['a size beyond 2^64', `o\n3438945738945739845734895735\n${ROOT_B64}\n`, 'size', 2],
    ['a size of 2^53', `o\n9007199254740992\n${ROOT_B64}\n`, 'size', 2],
    ['a root that is not base64', "o\n1\nThisIsn'tBase64\n", 'root-hash', 3],
    ['a root without padding', `o\n1\n${ROOT_B64.slice(0, -1)}\n`, 'root-hash', 3],
    ['a root in hex', `o\n1\n${ROOTS_HEX[7]}\n`, 'root-hash', 3],
    ['a root of 31 bytes', `o\n1\n${Buffer.alloc(31).toString('base64')}\n`, 'root-hash', 3],
    ['a root with non-zero unused bits', `o\n1\n${ROOT_B64.slice(0, -2)}J=\n`, 'root-hash', 3],
    ['an empty extension line', `o\n1\n${ROOT_B64}\n\n`, 'extension', 4],
    ['an empty second extension line', `o\n1\n${ROOT_B64}\nfirst\n\n`, 'extension', 5],
  ])('refuses %s', (_what, text, rule, line) => {
    const error = checkpointErrorOf(() => parseCheckpoint(text));
    expect(error.rule).toBe(rule);
    expect(error.line).toBe(line);
    expect(error.message.startsWith(`checkpoint line ${line}: `)).toBe(true);
  });

  it('reads sizes 0 and 2^53 - 1 and extension lines, and writes them back unchanged', () => {
    for (const text of [`o\n0\n${ROOT_B64}\n`, `o\n9007199254740991\n${ROOT_B64}\npublication 2020-Q4\nanother\n`]) {
      expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
    }
  });

  it.each<[string, Partial<Checkpoint>, CheckpointRule]>([
    ['an empty origin', { origin: '' }, 'origin'],
    ['an origin with a space', { origin: 'my ledger' }, 'origin'],
    ['an origin with a +', { origin: 'a+b' }, 'origin'],
    ['an origin with a newline', { origin: 'a\nb' }, 'origin'],
    ['a negative size', { size: -1 }, 'size'],
    ['a fractional size', { size: 1.5 }, 'size'],
    ['a size of 2^53', { size: 2 ** 53 }, 'size'],
    ['a root of 31 bytes', { rootHash: Buffer.alloc(31) }, 'root-hash'],
    ['an empty extension', { extensions: [''] }, 'extension'],
    ['an extension of two lines', { extensions: ['a\nb'] }, 'extension'],
    ['an extension with a control character', { extensions: ['a\tb'] }, 'extension'],
    ['an extension with a lone surrogate', { extensions: ['\ud800'] }, 'extension'],
  ])('refuses to write %s', (_what, change, rule) => {
    const checkpoint: Checkpoint = { origin: 'ledger.example/impact-ledger/main', size: 8, rootHash: Buffer.alloc(32), extensions: [], ...change };
    expect(checkpointErrorOf(() => formatCheckpoint(checkpoint)).rule).toBe(rule);
  });
});

describe('signed checkpoints', () => {
  const origin = 'ledger.example/impact-ledger/main';
  const log = Ed25519NoteSigner.fromPrivateKey(origin, newKey());
  const logKey = log.verifier();
  const leaves = LEAF_INPUTS_HEX.map((hex) => leafHash(Buffer.from(hex, 'hex')));
  const checkpoint: Checkpoint = { origin, size: 8, rootHash: merkleRoot(leaves, 8), extensions: ['publication P-2020'] };

  it('a checkpoint of the RFC 6962 reference tree carries its published root, and opens to what was signed', () => {
    const note = signCheckpoint(checkpoint, log);
    expect(note.split('\n')[2]).toBe(ROOT_B64);
    const opened = openCheckpoint(note, { logKey, origin });
    expect(opened.checkpoint).toEqual(checkpoint);
    expect(opened.text).toBe(formatCheckpoint(checkpoint));
  });

  it('two checkpoints of one log are linked by a consistency proof', () => {
    const older = openCheckpoint(signCheckpoint({ ...checkpoint, size: 5, rootHash: merkleRoot(leaves, 5), extensions: [] }, log), { logKey }).checkpoint;
    const newer = openCheckpoint(signCheckpoint(checkpoint, log), { logKey }).checkpoint;
    expect(verifyConsistency(older.size, newer.size, older.rootHash, newer.rootHash, consistencyProof(leaves, 5, 8))).toBe(true);
  });

  it('refuses a log key not named after the origin', () => {
    expect(checkpointErrorOf(() => signCheckpoint(checkpoint, Ed25519NoteSigner.fromPrivateKey('other.example/log', newKey()))).rule).toBe('key-name');
  });

  it('refuses another origin than the expected one, naming both', () => {
    const error = checkpointErrorOf(() => openCheckpoint(signCheckpoint(checkpoint, log), { logKey, origin: 'ledger.example/impact-ledger/other' }));
    expect(error.rule).toBe('origin-mismatch');
    expect(error.message).toBe('checkpoint line 1: origin "ledger.example/impact-ledger/main" is not this log\'s ("ledger.example/impact-ledger/other")');
  });

  it('refuses a checkpoint signed only by another known key (a witness), not by the log', () => {
    const other = Ed25519NoteSigner.fromPrivateKey(origin, newKey());
    const note = signNote(formatCheckpoint(checkpoint), [other]);
    const error = checkpointErrorOf(() => openCheckpoint(note, { logKey, otherKeys: [other.verifier()] }));
    expect(error.rule).toBe('not-signed-by-log');
    expect(error.message).toContain(`no signature by the log key ${origin}+`);
  });

  it('refuses a signed note whose body is not a checkpoint', () => {
    const note = signNote(`${origin}\nmany\n${ROOT_B64}\n`, [log]);
    expect(checkpointErrorOf(() => openCheckpoint(note, { logKey })).rule).toBe('size');
  });

  it('refuses a forged root (a bad signature by the log key), as a NoteError naming the line', () => {
    const note = signCheckpoint(checkpoint, log);
    const forged = note.replace(ROOT_B64, Buffer.from(ROOTS_HEX[6] as string, 'hex').toString('base64'));
    expect(() => openCheckpoint(forged, { logKey })).toThrow(new NoteError('invalid-signature', `the signature by ${origin}+${log.keyId.toString(16).padStart(8, '0')} does not verify`, 6));
  });
});

describe('checkpoints: properties', () => {
  const origin = 'prop.example/impact-ledger/p';
  const log = Ed25519NoteSigner.fromPrivateKey(origin, newKey());
  const logKey = log.verifier();
  const extensionLine = fc.string({ minLength: 1, unit: fc.constantFrom('a', 'Z', '0', ' ', '=', '+', '\u2014', 'é', '\u{1f600}') });
  const checkpoints: fc.Arbitrary<Checkpoint> = fc.record({
    origin: fc.constant(origin),
    size: fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
    extensions: fc.array(extensionLine, { maxLength: 3 }),
  });

  it('format then parse gives the checkpoint back; sign then open too', () => {
    fc.assert(
      fc.property(checkpoints, (checkpoint) => {
        expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
        expect(openCheckpoint(signCheckpoint(checkpoint, log), { logKey, origin }).checkpoint).toEqual(checkpoint);
      }),
      { numRuns: 200 },
    );
  });

  it('any byte changed in a signed checkpoint (origin, size, root, extension, blank line, signature) is refused', () => {
    fc.assert(
      fc.property(checkpoints, fc.nat(), fc.integer({ min: 1, max: 255 }), (checkpoint, at, mask) => {
        const bytes = Buffer.from(signCheckpoint(checkpoint, log), 'utf8');
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ mask;
        let refusal: unknown;
        try {
          openCheckpoint(bytes, { logKey, origin });
        } catch (error) {
          refusal = error;
        }
        expect(refusal instanceof NoteError || refusal instanceof CheckpointError).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
