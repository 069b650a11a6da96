import type { KeyObject } from 'node:crypto';
import { CheckpointError, parseCheckpoint } from './checkpoint';
import {
  checkKeyName,
  Ed25519KeyHolder,
  ed25519PublicKeyFromBytes,
  formatVerifierKey,
  keyId,
  keyIdHex,
  KeyFormatError,
  KnownKeys,
  openNote,
  parseNote,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  signatureLabel,
  signEd25519,
  signNote,
  verifyEd25519,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note';

/**
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1":
 * a witness signs
 *
 *   cosignature/v1\ntime <POSIX seconds>\n<the checkpoint's note text>
 *
 * and adds the note signature line `— <witness name> base64(key ID || u64 timestamp ||
 * Ed25519 signature)`, with key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4].
 * The library never reads the clock: the caller gives the timestamp.
 */

export const COSIGNATURE_V1_HEADER = 'cosignature/v1';
/** tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1. */
export const MAX_COSIGNATURE_TIMESTAMP = 2n ** 63n - 1n;
const TIMESTAMP_BYTES = 8;
const ED25519_SIGNATURE_BYTES = 64;

function timestampOf(value: bigint | number): bigint {
  const timestamp = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (timestamp < 0n || timestamp > MAX_COSIGNATURE_TIMESTAMP) {
    throw new RangeError(`a cosignature timestamp is a whole number of seconds from 0 to 2^63 - 1, got ${String(value)}`);
  }
  return timestamp;
}

/** The signed message: header line, time line, then the checkpoint's note text (final newline included). */
export function cosignatureV1Message(checkpointText: string, timestamp: bigint | number): Buffer {
  return Buffer.from(`${COSIGNATURE_V1_HEADER}\ntime ${timestampOf(timestamp).toString()}\n${checkpointText}`, 'utf8');
}

/** A witness key (type 0x04). The Ed25519 v1 message does not name the witness: one key per witness name. */
export class Ed25519Cosigner extends Ed25519KeyHolder {
  static readonly signatureType = SIGNATURE_TYPE_COSIGNATURE_V1;
  static readonly holder = 'a cosigner';
  static readonly keyKind = 'a cosignature key (0x04)';

  constructor(name: string, privateKey: KeyObject) {
    super(name, privateKey, SIGNATURE_TYPE_COSIGNATURE_V1, Ed25519Cosigner.holder);
  }

  /** A note signer that cosigns at `timestamp` (POSIX seconds, given by the caller). */
  at(timestamp: bigint | number): NoteSigner {
    const time = timestampOf(timestamp);
    return {
      name: this.name,
      keyId: this.keyId,
      sign: (text: Buffer) => {
        const prefix = Buffer.alloc(TIMESTAMP_BYTES);
        prefix.writeBigUInt64BE(time);
        return Buffer.concat([prefix, signEd25519(this.privateKey, cosignatureV1Message(text.toString('utf8'), time))]);
      },
    };
  }

  verifier(options?: CosignatureVerifierOptions): NoteVerifier {
    return ed25519CosignatureVerifier(this.name, this.publicKey, options);
  }
}

export interface CosignatureVerifierOptions {
  /** Refuse cosignatures dated after this (POSIX seconds); verifiers MAY reject future timestamps. */
  readonly notAfter?: bigint | number;
}

export function ed25519CosignatureVerifier(name: string, publicKey: Uint8Array, options: CosignatureVerifierOptions = {}): NoteVerifier {
  checkKeyName(name);
  const key = ed25519PublicKeyFromBytes(publicKey);
  const bytes = Buffer.from(publicKey);
  const notAfter = options.notAfter === undefined ? MAX_COSIGNATURE_TIMESTAMP : timestampOf(options.notAfter);
  return {
    name,
    keyId: keyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, bytes),
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    publicKey: bytes,
    verify: (text, signature) => {
      if (signature.length !== TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES) return false;
      const timestamp = signature.readBigUInt64BE(0);
      if (timestamp > MAX_COSIGNATURE_TIMESTAMP || timestamp > notAfter) return false;
      return verifyEd25519(key, cosignatureV1Message(text.toString('utf8'), timestamp), signature.subarray(TIMESTAMP_BYTES));
    },
  };
}

/** A witness verifier from its vkey, which must be of type 0x04 (convert a 0x01 key with `cosignatureVerifierKey`). */
export function cosignatureVerifier(vkey: string, options?: CosignatureVerifierOptions): NoteVerifier {
  const parts = parseVerifierKey(vkey);
  if (parts.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new KeyFormatError('type', `${parts.name}+${keyIdHex(parts.keyId)} is a note signing key (type 0x01), not a cosignature key (0x04)`);
  }
  return ed25519CosignatureVerifier(parts.name, parts.publicKey, options);
}

/** The type 0x04 vkey of the same Ed25519 key as a type 0x01 vkey (as transparency-dev/formats' VKeyToCosignatureV1). */
export function cosignatureVerifierKey(noteVkey: string): string {
  const parts = parseVerifierKey(noteVkey);
  if (parts.type !== SIGNATURE_TYPE_ED25519) throw new KeyFormatError('type', `${parts.name} is not a type 0x01 key`);
  return formatVerifierKey(parts.name, SIGNATURE_TYPE_COSIGNATURE_V1, parts.publicKey);
}

/** The timestamp of a cosignature/v1 signature line (not verified). */
export function cosignatureTimestamp(signature: Pick<NoteSignature, 'signature'>): bigint {
  if (signature.signature.length !== TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES) {
    throw new RangeError(`a cosignature/v1 signature is ${TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES} bytes after its key ID, not ${signature.signature.length}`);
  }
  const timestamp = signature.signature.readBigUInt64BE(0);
  if (timestamp > MAX_COSIGNATURE_TIMESTAMP) throw new RangeError('a cosignature timestamp must not exceed 2^63 - 1');
  return timestamp;
}

/**
 * Adds a cosignature to a signed checkpoint. The log's signature is checked first, so a
 * witness never cosigns what the log did not sign; existing signatures are kept (one by
 * this witness is replaced). Whether the checkpoint extends what the witness holds is the
 * witness's own check, made before calling this.
 */
export function cosignCheckpoint(signedCheckpoint: string | Uint8Array, logKey: NoteVerifier, cosigner: Ed25519Cosigner, timestamp: bigint | number): string {
  const opened = openNote(signedCheckpoint, new KnownKeys([logKey]));
  if (!opened.verified.some((s) => s.name === logKey.name && s.keyId === logKey.keyId)) {
    throw new CheckpointError('not-signed-by-log', `no signature by the log key ${signatureLabel(logKey)}`);
  }
  parseCheckpoint(opened.text);
  const existing = parseNote(signedCheckpoint).signatures;
  return signNote(opened.text, [cosigner.at(timestamp)], existing);
}

export interface VerifiedCosignature {
  readonly name: string;
  readonly keyId: number;
  readonly timestamp: bigint;
}

/** The cosignatures among a note's verified signatures, by the given witness keys, with their times. */
export function cosignaturesBy(verified: readonly NoteSignature[], witnesses: readonly NoteVerifier[]): VerifiedCosignature[] {
  const ids = new Set(witnesses.filter((w) => w.type === SIGNATURE_TYPE_COSIGNATURE_V1).map(signatureLabel));
  return verified.filter((s) => ids.has(signatureLabel(s))).map((s) => ({ name: s.name, keyId: s.keyId, timestamp: cosignatureTimestamp(s) }));
}
