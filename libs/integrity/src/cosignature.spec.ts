import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { CheckpointError, formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint';
import {
  cosignatureTimestamp,
  cosignaturesBy,
  cosignatureV1Message,
  cosignatureVerifier,
  cosignatureVerifierKey,
  cosignCheckpoint,
  Ed25519Cosigner,
  MAX_COSIGNATURE_TIMESTAMP,
} from './cosignature';
import { decodeBase64Strict, Ed25519NoteSigner, KeyFormatError, noteVerifier, NoteError, openNote, parseNote, parseSignerKey, parseVerifierKey, signNote } from './signed-note';
import {
  C2SP_COSIGNATURE_MESSAGE,
  C2SP_COSIGNED_CHECKPOINT,
  FORMATS_BAD_COSIGNATURE_VKEYS,
  FORMATS_COSIGNATURE_B64,
  FORMATS_COSIGNATURE_TIME,
  FORMATS_COSIGNATURE_VKEY,
  FORMATS_ED25519_VKEY,
  FORMATS_NOT_A_COSIGNATURE_B64,
  WITNESS_MONKEYS_5,
  WITNESS_MONKEYS_VKEY,
  WITNESS_WITNESS_SKEY,
  WITNESS_WITNESS_VKEY,
} from './signed-note-test-vectors';

/** A fresh Ed25519 key: the library itself draws no randomness. */
const newKey = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, nothing was thrown');
}

describe('published cosignature vectors', () => {
  it('C2SP tlog-cosignature.md: the signed message of the example is built byte for byte', () => {
    const { text } = parseNote(C2SP_COSIGNED_CHECKPOINT);
    expect(cosignatureV1Message(text, 1679315147n).toString('utf8')).toBe(C2SP_COSIGNATURE_MESSAGE);
    expect(cosignatureV1Message(text, 1679315147).equals(Buffer.from(C2SP_COSIGNATURE_MESSAGE, 'utf8'))).toBe(true);
  });

  it("C2SP tlog-cosignature.md: the example's witness line carries its key ID and the message's timestamp", () => {
    const witness = parseNote(C2SP_COSIGNED_CHECKPOINT).signatures[1];
    expect(witness?.name).toBe('witness.example.com/w1');
    expect(witness?.keyId).toBe(0x8d66cf3f);
    expect(witness === undefined ? undefined : cosignatureTimestamp(witness)).toBe(1679315147n);
  });

  it('transparency-dev/formats: a native type 0x04 vkey is a cosignature verifier with its key ID', () => {
    const verifier = cosignatureVerifier(FORMATS_COSIGNATURE_VKEY);
    expect(verifier.name).toBe('remora.n621.de');
    expect(verifier.keyId).toBe(0xda77ade7);
  });

  it('transparency-dev/formats: a type 0x01 vkey converts to the 0x04 vkey of the same key; unconverted, it is refused', () => {
    const converted = cosignatureVerifierKey(FORMATS_ED25519_VKEY);
    const verifier = cosignatureVerifier(converted);
    expect(verifier.name).toBe('TEST');
    expect(verifier.publicKey.equals(parseVerifierKey(FORMATS_ED25519_VKEY).publicKey)).toBe(true);
    expect(verifier.keyId).not.toBe(0x7997405c); // the type byte is part of the key ID
    expect((thrown(() => cosignatureVerifier(FORMATS_ED25519_VKEY)) as KeyFormatError).rule).toBe('type');
  });

  it('transparency-dev/formats: the malformed vkeys are refused', () => {
    const rules = FORMATS_BAD_COSIGNATURE_VKEYS.map((vkey) => {
      const error = thrown(() => cosignatureVerifier(vkey));
      expect(error).toBeInstanceOf(KeyFormatError);
      return (error as KeyFormatError).rule;
    });
    // Parts, base64, type 0x03, a key ID that is not hex, and an ECDSA (0x02) key this ledger does not use.
    expect(rules).toEqual(['format', 'encoding', 'type', 'key-id', 'type']);
  });

  it('transparency-dev/formats: the timestamp of a published cosignature; a plain signature has none', () => {
    const bytes = decodeBase64Strict(FORMATS_COSIGNATURE_B64) as Buffer;
    expect(cosignatureTimestamp({ signature: bytes.subarray(4) })).toBe(FORMATS_COSIGNATURE_TIME);
    const plain = decodeBase64Strict(FORMATS_NOT_A_COSIGNATURE_B64) as Buffer;
    expect(() => cosignatureTimestamp({ signature: plain.subarray(4) })).toThrow(RangeError);
    expect(decodeBase64Strict('5%/$!\n 2')).toBeNull();
  });

  it('transparency-dev/witness: the published witness key cosigns the published monkeys checkpoint; its 0x01 vkey, converted, verifies it', () => {
    const seed = parseSignerKey(WITNESS_WITNESS_SKEY);
    const witness = Ed25519Cosigner.fromPrivateKey(seed.name, seed.privateKey);
    expect(witness.verifierKey()).toBe(cosignatureVerifierKey(WITNESS_WITNESS_VKEY));
    const logKey = noteVerifier(WITNESS_MONKEYS_VKEY);
    const cosigned = cosignCheckpoint(WITNESS_MONKEYS_5, logKey, witness, 1_700_000_000);
    expect(cosigned.startsWith(WITNESS_MONKEYS_5)).toBe(true); // the log's line kept, first
    const opened = openCheckpoint(cosigned, { logKey, otherKeys: [cosignatureVerifier(cosignatureVerifierKey(WITNESS_WITNESS_VKEY))] });
    expect(cosignaturesBy(opened.note.verified, [witness.verifier()])).toEqual([{ name: 'witness', keyId: witness.keyId, timestamp: 1_700_000_000n }]);
    // The same Ed25519 key as a note key (type 0x01) has another key ID: the cosignature is not its.
    expect(openNote(cosigned, [logKey, noteVerifier(WITNESS_WITNESS_VKEY)]).unknown.map((s) => s.name)).toEqual(['witness']);
  });
});

describe('cosigning and checking cosignatures', () => {
  const origin = 'ledger.example/impact-ledger/main';
  const log = Ed25519NoteSigner.fromPrivateKey(origin, newKey());
  const logKey = log.verifier();
  const witness = Ed25519Cosigner.fromPrivateKey('auditor.example/witness', newKey());
  const checkpoint: Checkpoint = { origin, size: 11, rootHash: Buffer.alloc(32, 0xab), extensions: [] };
  const signed = signCheckpoint(checkpoint, log);

  it('the cosignature line is key ID, 8-byte big-endian timestamp and 64-byte signature over the v1 message', () => {
    const cosigned = cosignCheckpoint(signed, logKey, witness, 1_735_689_600);
    const line = parseNote(cosigned).signatures[1];
    expect(line?.name).toBe(witness.name);
    expect(line?.keyId).toBe(witness.keyId);
    expect(line?.signature.length).toBe(72);
    expect(line?.signature.readBigUInt64BE(0)).toBe(1_735_689_600n);
    expect(witness.verifier().verify(Buffer.from(formatCheckpoint(checkpoint)), line?.signature ?? Buffer.alloc(0))).toBe(true);
  });

  it('is deterministic: the same checkpoint, key and time give the same bytes', () => {
    expect(cosignCheckpoint(signed, logKey, witness, 42)).toBe(cosignCheckpoint(signed, logKey, witness, 42));
  });

  it('a witness cosigning again replaces its own line and keeps the others', () => {
    const other = Ed25519Cosigner.fromPrivateKey('other.example/witness', newKey());
    const twice = cosignCheckpoint(cosignCheckpoint(cosignCheckpoint(signed, logKey, witness, 100), logKey, other, 150), logKey, witness, 200);
    const opened = openCheckpoint(twice, { logKey, otherKeys: [witness.verifier(), other.verifier()] });
    expect(opened.note.verified.map((s) => s.name)).toEqual([origin, 'other.example/witness', 'auditor.example/witness']);
    expect(cosignaturesBy(opened.note.verified, [witness.verifier(), other.verifier()]).map((c) => c.timestamp)).toEqual([150n, 200n]);
  });

  it('a cosignature key round-trips through its Go text form and PEM', () => {
    expect(Ed25519Cosigner.fromSignerKey(witness.signerKey()).verifierKey()).toBe(witness.verifierKey());
    expect(Ed25519Cosigner.fromPem(witness.name, witness.toPem()).verifierKey()).toBe(witness.verifierKey());
    expect(witness.verifierKey()).toMatch(/^auditor\.example\/witness\+[0-9a-f]{8}\+B[A-P]/); // base64 of 0x04 || key starts "BA" to "BP"
    expect((thrown(() => Ed25519Cosigner.fromSignerKey(log.signerKey())) as KeyFormatError).rule).toBe('type');
  });

  it('one key holder for both signature types: the same Ed25519 key under 0x01 and 0x04 differs only by type and key ID; each refuses the other type and a public key', () => {
    const key = newKey();
    const asLog = Ed25519NoteSigner.fromPrivateKey('example.org/both', key);
    const asWitness = Ed25519Cosigner.fromPrivateKey('example.org/both', key);
    expect(asWitness.publicKey).toEqual(asLog.publicKey);
    expect([asLog.signatureType, asWitness.signatureType]).toEqual([0x01, 0x04]);
    expect(asWitness.keyId).not.toBe(asLog.keyId);
    expect(asWitness.verifierKey()).toBe(cosignatureVerifierKey(asLog.verifierKey()));
    expect(Ed25519NoteSigner.fromPem(asLog.name, asWitness.toPem()).verifierKey()).toBe(asLog.verifierKey());
    expect(thrown(() => Ed25519Cosigner.fromSignerKey(asLog.signerKey()))).toEqual(new KeyFormatError('type', 'example.org/both is a type 0x01 key, not a cosignature key (0x04)'));
    expect(thrown(() => Ed25519NoteSigner.fromSignerKey(asWitness.signerKey()))).toEqual(new KeyFormatError('type', 'example.org/both is a type 0x04 key, not a note signing key (0x01)'));
    const publicOnly = generateKeyPairSync('ed25519').publicKey;
    expect((thrown(() => Ed25519Cosigner.fromPrivateKey('w', publicOnly)) as Error).message).toMatch(/a cosigner needs a private key/);
    expect((thrown(() => Ed25519NoteSigner.fromPrivateKey('w', publicOnly)) as Error).message).toMatch(/a signer needs a private key/);
    expect((thrown(() => Ed25519Cosigner.fromPrivateKey('w', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)) as Error).message).toMatch(/the key is an EC key, not Ed25519/);
  });

  it('refuses to cosign what the log did not sign, or what is not a checkpoint', () => {
    const unsigned = signNote(formatCheckpoint(checkpoint), [Ed25519NoteSigner.fromPrivateKey(origin, newKey())]);
    expect((thrown(() => cosignCheckpoint(unsigned, logKey, witness, 1)) as NoteError).rule).toBe('no-known-signature');
    const forged = signed.replace('\n11\n', '\n12\n');
    expect((thrown(() => cosignCheckpoint(forged, logKey, witness, 1)) as NoteError).rule).toBe('invalid-signature');
    const notACheckpoint = signNote(`${origin}\n11\n`, [log]);
    expect(thrown(() => cosignCheckpoint(notACheckpoint, logKey, witness, 1))).toBeInstanceOf(CheckpointError);
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, -1n, MAX_COSIGNATURE_TIMESTAMP + 1n])('refuses the timestamp %p', (timestamp) => {
    expect(() => witness.at(timestamp)).toThrow(RangeError);
    expect(() => cosignatureV1Message('a\n', timestamp)).toThrow(RangeError);
  });

  it('accepts timestamps 0 and 2^63 - 1 (the bounds the spec allows)', () => {
    for (const t of [0n, MAX_COSIGNATURE_TIMESTAMP]) {
      const cosigned = cosignCheckpoint(signed, logKey, witness, t);
      expect(openCheckpoint(cosigned, { logKey, otherKeys: [witness.verifier()] }).note.verified).toHaveLength(2);
    }
  });

  it('a verifier given a time refuses a cosignature dated after it', () => {
    const cosigned = cosignCheckpoint(signed, logKey, witness, 2_000);
    expect(openCheckpoint(cosigned, { logKey, otherKeys: [witness.verifier({ notAfter: 2_000 })] }).note.verified).toHaveLength(2);
    const error = thrown(() => openCheckpoint(cosigned, { logKey, otherKeys: [witness.verifier({ notAfter: 1_999 })] })) as NoteError;
    expect(error.rule).toBe('invalid-signature');
    expect(error.line).toBe(6);
  });

  it('a cosignature moved onto another checkpoint of the same log does not verify', () => {
    const cosigned = cosignCheckpoint(signed, logKey, witness, 5);
    const witnessLine = cosigned.split('\n').find((l) => l.startsWith(`\u2014 ${witness.name} `)) as string;
    const otherSigned = signCheckpoint({ ...checkpoint, size: 12 }, log);
    const error = thrown(() => openCheckpoint(`${otherSigned}${witnessLine}\n`, { logKey, otherKeys: [witness.verifier()] })) as NoteError;
    expect(error.rule).toBe('invalid-signature');
    expect(error.message).toContain(witness.name);
  });

  it('a cosignature whose timestamp was changed does not verify', () => {
    const cosigned = cosignCheckpoint(signed, logKey, witness, 1000);
    const line = parseNote(cosigned).signatures[1];
    const bytes = Buffer.concat([Buffer.alloc(4), line?.signature ?? Buffer.alloc(0)]);
    bytes.writeUInt32BE(witness.keyId, 0);
    bytes.writeBigUInt64BE(1001n, 4);
    const note = `${signed}\u2014 ${witness.name} ${bytes.toString('base64')}\n`;
    expect((thrown(() => openCheckpoint(note, { logKey, otherKeys: [witness.verifier()] })) as NoteError).rule).toBe('invalid-signature');
  });

  it('any byte changed in a cosigned checkpoint is refused by a client that knows the witness', () => {
    const cosigned = Buffer.from(cosignCheckpoint(signed, logKey, witness, 1_735_689_600), 'utf8');
    const witnessKey = witness.verifier();
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const bytes = Buffer.from(cosigned);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ mask;
        const error = thrown(() => {
          const opened = openCheckpoint(bytes, { logKey, otherKeys: [witnessKey] });
          // A changed witness name or key ID turns the cosignature into an unknown one: a client
          // that requires this witness sees it missing.
          if (cosignaturesBy(opened.note.verified, [witnessKey]).length === 0) throw new Error('cosignature missing');
        });
        expect(error).toBeInstanceOf(Error);
      }),
      { numRuns: 500 },
    );
  });

  it('the cosigned body is the checkpoint body, extension lines included', () => {
    const withExtension = signCheckpoint({ ...checkpoint, extensions: ['publication P-1'] }, log);
    const cosigned = cosignCheckpoint(withExtension, logKey, witness, 9);
    const text = parseNote(cosigned).text;
    expect(parseCheckpoint(text).extensions).toEqual(['publication P-1']);
    const line = parseNote(cosigned).signatures[1];
    expect(witness.verifier().verify(Buffer.from(text.replace('P-1', 'P-2')), line?.signature ?? Buffer.alloc(0))).toBe(false);
  });
});
