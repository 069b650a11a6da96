import { hash as oneShotHash } from 'node:crypto';

/**
 * Leaf v2 (docs/signed-checkpoints.md, "Leaf format and erasure"; docs/erasure.md): the leaf
 * commits to the personal part of an event through a salted commitment, so that the personal
 * part and its salt can be erased while the leaf, the chain, the tree and every seal, checkpoint
 * and proof stay valid.
 *
 *   personal   = JCS({ data, eventId, learnerId?, occurredAt, streamId, streamRevision })
 *   commitment = SHA-256(salt (32 bytes) || personal)
 *   leaf       = SHA-256(0x00 || JCS({ commitment: hex, position, recordedAt, type, v: 2 }))
 *
 * Pure: the salt is drawn by the store's append path and given here.
 */

export const SALT_BYTES = 32;

/** The fields of an event that erasure removes (all but position, type and recordedAt). */
export interface PersonalPart {
  /** Canonical JSON text (RFC 8785) of the event's data. */
  readonly data: string;
  readonly eventId: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly streamId: string;
  readonly streamRevision: number;
}

/** What stays of an event after erasure, and what its v2 leaf hashes. */
export interface PublicPart {
  /** SHA-256(salt || personal), hex. */
  readonly commitment: string;
  readonly position: number;
  readonly recordedAt: string;
  readonly type: string;
}

/**
 * The canonical bytes of the personal part: concatenated in RFC 8785 key order (`data` is
 * already canonical text); `learnerId` is left out when null. A test holds it equal to
 * `canonicalJson` of the object.
 */
export function canonicalPersonal(p: PersonalPart): string {
  const learner = p.learnerId === null ? '' : `"learnerId":${JSON.stringify(p.learnerId)},`;
  return (
    `{"data":${p.data},"eventId":${JSON.stringify(p.eventId)},${learner}` +
    `"occurredAt":${JSON.stringify(p.occurredAt)},"streamId":${JSON.stringify(p.streamId)},` +
    `"streamRevision":${p.streamRevision}}`
  );
}

/** The canonical bytes of a v2 leaf: `{"commitment":..,"position":..,"recordedAt":..,"type":..,"v":2}`. */
export function canonicalPublicLeaf(p: PublicPart): string {
  return (
    `{"commitment":${JSON.stringify(p.commitment)},"position":${p.position},` +
    `"recordedAt":${JSON.stringify(p.recordedAt)},"type":${JSON.stringify(p.type)},"v":2}`
  );
}

/**
 * Where `commitmentHex` writes salt and personal part before hashing them: one buffer for every
 * event (a Buffer per event cost more than its hash), grown when a personal part needs more.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** SHA-256(salt || personal) as hex; the salt is 32 bytes (hex in, as records carry it). */
export function commitmentHex(saltHex: string, personal: PersonalPart): string {
  if (!isHex32(saltHex)) throw new TypeError(`a leaf v2 salt is ${SALT_BYTES} bytes as 64 lower-case hex digits`);
  return commitmentOfCheckedSalt(saltHex, personal);
}

/** `commitmentHex` of a salt the caller has just checked with `isHex32` (a verifier checks each salt once, not twice). */
export function commitmentOfCheckedSalt(saltHex: string, personal: PersonalPart): string {
  const text = canonicalPersonal(personal);
  // At most 3 UTF-8 bytes per UTF-16 code unit: the exact length is only counted when that bound does not fit.
  if (SALT_BYTES + text.length * 3 > scratch.length) {
    const needed = SALT_BYTES + Buffer.byteLength(text, 'utf8');
    if (needed > scratch.length) scratch = Buffer.allocUnsafe(Math.max(needed, scratch.length * 2));
  }
  scratch.write(saltHex, 0, SALT_BYTES, 'hex');
  const written = scratch.write(text, SALT_BYTES, 'utf8');
  return oneShotHash('sha256', scratch.subarray(0, SALT_BYTES + written), 'hex');
}

/** The RFC 6962 leaf hash (hex) of a v2 leaf. */
export function leafV2HashHex(p: PublicPart): string {
  return oneShotHash('sha256', `\u0000${canonicalPublicLeaf(p)}`, 'hex');
}

/** Whether a text is a 32-byte hash or salt in lower-case hex. */
const HEX32 = /^[0-9a-f]{64}$/;

export function isHex32(value: unknown): value is string {
  return typeof value === 'string' && HEX32.test(value);
}
