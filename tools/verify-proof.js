#!/usr/bin/env node
'use strict';
/**
 * Checks an impact-ledger proof bundle (`ledger proof <event-id>`) with nothing but Node.js
 * (18 or later) and this file: no access to the ledger, no other code, no network.
 *
 *   node verify-proof.js [--key VKEY|FILE] [--witness-key VKEY|FILE]... proof.json
 *   exit 0: verified; 1: refused (the reason is printed); 2: usage
 *
 * Strict: every member of the bundle is covered by a hash (the event, the leaf, the proof) or
 * by the ledger's signature (the embedded checkpoint: tree size, root, and the publication and
 * seal as extension lines); anything else is refused. With `--key` (the ledger's verifier key,
 * `ledger public-key`), the checkpoint must be signed by it; without, the signer is not checked
 * and the verifier says so. A bundle without a checkpoint (made before issue 9 item 6) still
 * verifies, with "no checkpoint: signer not checked", and is refused with `--key`.
 * Each `--witness-key` (a witness's cosignature key, type 0x04, its state's `witness.vkey`)
 * must have cosigned the checkpoint (C2SP tlog-cosignature/v1): a missing or bad cosignature
 * is refused; without any, the verifier says it checked no witness.
 *
 * It checks that the event in the bundle, byte for byte as the ledger stored it, is the
 * leaf at `leafIndex` of the RFC 6962 Merkle tree of `treeSize` leaves whose root is
 * `rootHash`. Whether that root is the ledger's is for you to check: compare it with the
 * sealed root printed in the published report (see docs/audit.md).
 *
 * Format 2 (leaf v2, docs/erasure.md): the leaf is the public part of the event (position,
 * type, recordedAt, and a commitment to the rest). With the payload and its salt, the
 * commitment is recomputed from them, then the leaf, then the root. With `payload: "erased"`,
 * the event's personal data was erased: only the public part is proved, and the verifier says
 * so ("not checked: ...").
 */
const crypto = require('crypto');
const fs = require('fs');

const FORMAT = 'impact-ledger-proof/1';
const FORMAT_V2 = 'impact-ledger-proof/2';
const HEX_HASH = /^[0-9a-f]{64}$/;

function sha256(...parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 6962 §2.1: the 0x00 / 0x01 prefixes keep a leaf from passing for an interior node. */
const leafHash = (bytes) => sha256(Buffer.from([0x00]), bytes);
const nodeHash = (left, right) => sha256(Buffer.from([0x01]), left, right);

/**
 * The bytes the ledger hashed for this event (libs/store/src/log-record.ts, canonicalRecord):
 * RFC 8785 canonical JSON of the record, members in sorted order, `learnerId` left out when
 * null. `data` is already canonical JSON text, so it is inserted as it is.
 */
function canonicalRecord(e) {
  const learner = e.learnerId === null ? '' : `"learnerId":${JSON.stringify(e.learnerId)},`;
  return (
    `{"data":${e.data},"eventId":${JSON.stringify(e.eventId)},${learner}` +
    `"occurredAt":${JSON.stringify(e.occurredAt)},"position":${e.position},` +
    `"recordedAt":${JSON.stringify(e.recordedAt)},"streamId":${JSON.stringify(e.streamId)},` +
    `"streamRevision":${e.streamRevision},"type":${JSON.stringify(e.type)}}`
  );
}

/** Leaf v2's personal part (libs/integrity/src/leaf-v2.ts, canonicalPersonal): RFC 8785, `learnerId` left out when null. */
function canonicalPersonal(p) {
  const learner = p.learnerId === null ? '' : `"learnerId":${JSON.stringify(p.learnerId)},`;
  return (
    `{"data":${p.data},"eventId":${JSON.stringify(p.eventId)},${learner}` +
    `"occurredAt":${JSON.stringify(p.occurredAt)},"streamId":${JSON.stringify(p.streamId)},` +
    `"streamRevision":${p.streamRevision}}`
  );
}

/** Leaf v2's hashed bytes (canonicalPublicLeaf): `{"commitment","position","recordedAt","type","v":2}`. */
function canonicalPublicLeaf(l) {
  return (
    `{"commitment":${JSON.stringify(l.commitment)},"position":${l.position},` +
    `"recordedAt":${JSON.stringify(l.recordedAt)},"type":${JSON.stringify(l.type)},"v":2}`
  );
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof has the
 * wrong number of nodes for this index and tree size. Division, not `>>`: sizes may pass 2^31.
 */
function rootFromInclusionProof(leaf, index, size, proof) {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null; // more nodes than the path from this leaf has
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // The last leaf of an unbalanced tree: climb until it has a sibling on its left.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null; // fewer nodes than the path needs
}

const isText = (v) => typeof v === 'string';
const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

/**
 * Checks a parsed bundle. Never throws: answers { ok, checked: [what held], failure?: what did not }.
 * Every field is checked for its type first, because a bundle comes from whoever wants to be believed
 * and a string where a number belongs would hash to the same bytes.
 */
function verifyTree(bundle) {
  const checked = [];
  const fail = (failure) => ({ ok: false, checked, failure });
  // Format 2 also says what it could not check (an erased payload), beside what it checked.
  try {
    if (typeof bundle !== 'object' || bundle === null) return fail('the bundle is not a JSON object');
    if (bundle.format === FORMAT_V2) return verifyV2(bundle, checked, fail);
    if (bundle.format !== FORMAT) return fail(`format is ${JSON.stringify(bundle.format)}, not ${FORMAT} or ${FORMAT_V2}`);

    const e = bundle.event;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return fail('event is missing');
    const extra = unknownKey(bundle, BUNDLE_V1_KEYS);
    if (extra !== undefined) return fail(`unknown member ${JSON.stringify(extra)}: no hash or signature covers it`);
    const eventExtra = unknownKey(e, EVENT_KEYS);
    if (eventExtra !== undefined) return fail(`unknown member event.${eventExtra}: no hash covers it`);
    for (const field of ['eventId', 'streamId', 'type', 'occurredAt', 'recordedAt', 'data']) {
      if (!isText(e[field])) return fail(`event.${field} is not a string`);
    }
    if (e.learnerId !== null && !isText(e.learnerId)) return fail('event.learnerId is neither a string nor null');
    if (!isCount(e.position) || e.position < 1) return fail('event.position is not a positive integer');
    if (!isCount(e.streamRevision)) return fail('event.streamRevision is not a non-negative integer');
    // `data` goes into the record unquoted: it must be one JSON value, or it could pose as other members.
    try {
      JSON.parse(e.data);
    } catch {
      return fail('event.data is not JSON text');
    }
    if (!isText(bundle.leafHash) || !HEX_HASH.test(bundle.leafHash)) return fail('leafHash is not 64 lower-case hex digits');
    if (!isText(bundle.rootHash) || !HEX_HASH.test(bundle.rootHash)) return fail('rootHash is not 64 lower-case hex digits');
    if (!Array.isArray(bundle.inclusionProof) || !bundle.inclusionProof.every((h) => isText(h) && HEX_HASH.test(h))) {
      return fail('inclusionProof is not a list of 64-hex-digit hashes');
    }
    if (!isCount(bundle.treeSize) || !isCount(bundle.leafIndex) || bundle.leafIndex >= bundle.treeSize) {
      return fail(`leafIndex ${bundle.leafIndex} is not a leaf of a tree of treeSize ${bundle.treeSize}`);
    }
    // The tree's leaves are the log in position order: position p is leaf p - 1. The position is
    // inside the hashed record, so this ties the event to its place in the tree.
    if (bundle.leafIndex !== e.position - 1) {
      return fail(`leafIndex ${bundle.leafIndex} is not the event's position ${e.position} minus 1`);
    }
    checked.push(`event ${e.eventId} (${e.type}) at position ${e.position} is leaf ${bundle.leafIndex} of a tree of ${bundle.treeSize}`);

    const leaf = leafHash(Buffer.from(canonicalRecord(e), 'utf8'));
    if (leaf.toString('hex') !== bundle.leafHash) {
      return fail(`the event does not hash to leafHash: its canonical record hashes to ${leaf.toString('hex')} (the event or leafHash was altered)`);
    }
    checked.push(`the event's canonical record hashes to leafHash ${bundle.leafHash}`);
    return checkInclusion(bundle, leaf, checked, fail);
  } catch (error) {
    return fail(`the bundle could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The proof's shape (hashes, sizes), then whether the leaf at `leafIndex` leads to `rootHash`. */
function checkProofShape(bundle, fail) {
  if (!isText(bundle.leafHash) || !HEX_HASH.test(bundle.leafHash)) return fail('leafHash is not 64 lower-case hex digits');
  if (!isText(bundle.rootHash) || !HEX_HASH.test(bundle.rootHash)) return fail('rootHash is not 64 lower-case hex digits');
  if (!Array.isArray(bundle.inclusionProof) || !bundle.inclusionProof.every((h) => isText(h) && HEX_HASH.test(h))) {
    return fail('inclusionProof is not a list of 64-hex-digit hashes');
  }
  if (!isCount(bundle.treeSize) || !isCount(bundle.leafIndex) || bundle.leafIndex >= bundle.treeSize) {
    return fail(`leafIndex ${bundle.leafIndex} is not a leaf of a tree of treeSize ${bundle.treeSize}`);
  }
  return undefined;
}

function checkInclusion(bundle, leaf, checked, fail, notChecked) {
  const proof = bundle.inclusionProof.map((h) => Buffer.from(h, 'hex'));
  const root = rootFromInclusionProof(leaf, bundle.leafIndex, bundle.treeSize, proof);
  if (root === null) {
    return fail(`the inclusion proof has ${proof.length} nodes: wrong for leaf ${bundle.leafIndex} of a tree of ${bundle.treeSize}`);
  }
  if (root.toString('hex') !== bundle.rootHash) {
    return fail(`the inclusion proof leads to root ${root.toString('hex')}, not to rootHash ${bundle.rootHash}`);
  }
  checked.push(`its inclusion proof (${proof.length} nodes) leads to rootHash ${bundle.rootHash}`);
  return { ok: true, checked, ...(notChecked ? { notChecked } : {}) };
}

const BUNDLE_V1_KEYS = ['format', 'event', 'leafHash', 'leafIndex', 'treeSize', 'rootHash', 'inclusionProof', 'sealedBy', 'checkpoint'];
const EVENT_KEYS = ['position', 'eventId', 'streamId', 'streamRevision', 'type', 'learnerId', 'occurredAt', 'recordedAt', 'data'];
const BUNDLE_V2_KEYS = ['format', 'leaf', 'payload', 'leafHash', 'leafIndex', 'treeSize', 'rootHash', 'inclusionProof', 'sealedBy', 'checkpoint'];
const SEALED_BY_KEYS = ['publicationId', 'eventId', 'position'];
const LEAF_V2_KEYS = ['v', 'position', 'type', 'recordedAt', 'commitment'];
const PAYLOAD_KEYS = ['data', 'eventId', 'learnerId', 'occurredAt', 'streamId', 'streamRevision', 'salt'];

/** Members other than those named: what no hash covers, so refused rather than silently shown. */
function unknownKey(object, keys) {
  return Object.keys(object).find((k) => !keys.includes(k));
}

/**
 * Format 2: a leaf v2 (or an erased v1 event). What is checked, and what is not, is listed:
 * `checked` (what held) and `notChecked` (what the bundle cannot show, the payload being erased).
 */
function verifyV2(bundle, checked, fail) {
  const notChecked = [];
  const extra = unknownKey(bundle, BUNDLE_V2_KEYS);
  if (extra !== undefined) return fail(`unknown member ${JSON.stringify(extra)}: no hash or signature covers it`);
  const l = bundle.leaf;
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return fail('leaf is missing');
  const leafExtra = unknownKey(l, LEAF_V2_KEYS);
  if (leafExtra !== undefined) return fail(`unknown member leaf.${leafExtra}: no hash covers it`);
  if (l.v !== 1 && l.v !== 2) return fail(`leaf.v is ${JSON.stringify(l.v)}, not 1 or 2`);
  if (!isText(l.type) || !isText(l.recordedAt)) return fail('leaf.type and leaf.recordedAt must be strings');
  if (!isCount(l.position) || l.position < 1) return fail('leaf.position is not a positive integer');
  const shape = checkProofShape(bundle, fail);
  if (shape) return shape;
  if (bundle.leafIndex !== l.position - 1) return fail(`leafIndex ${bundle.leafIndex} is not the leaf's position ${l.position} minus 1`);
  const erased = bundle.payload === 'erased';
  if (!erased && (typeof bundle.payload !== 'object' || bundle.payload === null || Array.isArray(bundle.payload))) {
    return fail('payload is neither an object nor "erased"');
  }
  checked.push(`a ${l.type} event recorded at ${l.recordedAt} is at position ${l.position}, leaf ${bundle.leafIndex} of a tree of ${bundle.treeSize}`);

  let leaf;
  if (l.v === 1) {
    // Only an erased v1 event comes in format 2: its leaf hashed the payload that is gone.
    if (!erased) return fail('a v1 leaf with its payload comes in format 1 (impact-ledger-proof/1), not 2');
    if (l.commitment !== undefined) return fail('a v1 leaf has no commitment');
    leaf = Buffer.from(bundle.leafHash, 'hex');
    notChecked.push('the payload: erased (LearnerErased), and with it the event id, stream and learner');
    notChecked.push(`that leafHash is the hash of this event: a v1 leaf hashed the erased payload, so the type, recordedAt and position above are the ledger's word, and only leafHash's place in the tree is proved`);
  } else {
    if (!isText(l.commitment) || !HEX_HASH.test(l.commitment)) return fail('leaf.commitment is not 64 lower-case hex digits');
    if (erased) {
      notChecked.push('the payload: erased (LearnerErased), and with it the event id, stream, learner and salt; the commitment stays, and binds the erased payload without revealing it');
    } else {
      const p = bundle.payload;
      const payloadExtra = unknownKey(p, PAYLOAD_KEYS);
      if (payloadExtra !== undefined) return fail(`unknown member payload.${payloadExtra}: no hash covers it`);
      for (const field of ['data', 'eventId', 'occurredAt', 'streamId']) if (!isText(p[field])) return fail(`payload.${field} is not a string`);
      if (p.learnerId !== null && !isText(p.learnerId)) return fail('payload.learnerId is neither a string nor null');
      if (!isCount(p.streamRevision)) return fail('payload.streamRevision is not a non-negative integer');
      if (!isText(p.salt) || !HEX_HASH.test(p.salt)) return fail('payload.salt is not 64 lower-case hex digits (32 bytes)');
      try {
        JSON.parse(p.data);
      } catch {
        return fail('payload.data is not JSON text');
      }
      const commitment = sha256(Buffer.from(p.salt, 'hex'), Buffer.from(canonicalPersonal(p), 'utf8')).toString('hex');
      if (commitment !== l.commitment) {
        return fail(`the payload does not match the commitment: salt and payload give ${commitment} (the payload, salt or commitment was altered)`);
      }
      checked.push(`event ${p.eventId} of ${p.streamId}: its payload and salt give the leaf's commitment ${l.commitment}`);
    }
    leaf = leafHash(Buffer.from(canonicalPublicLeaf(l), 'utf8'));
    if (leaf.toString('hex') !== bundle.leafHash) {
      return fail(`the leaf does not hash to leafHash: its public part hashes to ${leaf.toString('hex')} (the leaf or leafHash was altered)`);
    }
    checked.push(`the leaf's public part (v2) hashes to leafHash ${bundle.leafHash}`);
  }
  return checkInclusion(bundle, leaf, checked, fail, notChecked);
}

/**
 * Checks a parsed bundle. Never throws: answers { ok, checked: [what held], notChecked?: [what
 * could not be], failure?: what did not hold }. With `options.key` (the ledger's verifier key,
 * as `ledger public-key` prints it), the bundle's checkpoint must be signed by that key; with
 * `options.witnessKeys` (cosignature vkeys, type 0x04), cosigned by each of those witnesses.
 */
function verifyProofBundle(bundle, options = {}) {
  const verdict = verifyTree(bundle);
  if (!verdict.ok) return verdict;
  const checked = verdict.checked;
  const notChecked = verdict.notChecked ? [...verdict.notChecked] : [];
  const fail = (failure) => ({ ok: false, checked, ...(notChecked.length > 0 ? { notChecked } : {}), failure });
  const done = () => ({ ok: true, checked, ...(notChecked.length > 0 ? { notChecked } : {}) });
  try {
    const seal = bundle.sealedBy;
    if (seal !== undefined) {
      if (typeof seal !== 'object' || seal === null || Array.isArray(seal)) return fail('sealedBy is not an object');
      const sealExtra = unknownKey(seal, SEALED_BY_KEYS);
      if (sealExtra !== undefined) return fail(`unknown member sealedBy.${sealExtra}: no signature covers it`);
      if (!isText(seal.publicationId) || !isText(seal.eventId) || !isCount(seal.position) || seal.position < 1) {
        return fail('sealedBy needs publicationId and eventId (strings) and position (a positive integer)');
      }
    }
    if (bundle.checkpoint === undefined) {
      // Bundles made before checkpoints were embedded (formats 1 and 2 as first written).
      if (options.key !== undefined) return fail('no checkpoint in the bundle: the signer asked for (--key) cannot be checked; ask the ledger for a new bundle');
      if ((options.witnessKeys ?? []).length > 0) return fail('no checkpoint in the bundle: the witness cosignatures asked for (--witness-key) cannot be checked; ask the ledger for a new bundle');
      notChecked.push(`no checkpoint: signer not checked (a bundle made before signed checkpoints; ${seal ? 'rootHash and sealedBy are' : 'rootHash is'} the ledger's word until compared with the published report)`);
      return done();
    }
    if (!isText(bundle.checkpoint)) return fail('checkpoint is not a string (a signed note)');
    const note = splitNote(bundle.checkpoint);
    if (typeof note === 'string') return fail(`checkpoint: ${note}`);
    const body = parseCheckpointBody(note.text);
    if (typeof body === 'string') return fail(`checkpoint: ${body}`);
    if (body.size !== bundle.treeSize) return fail(`treeSize ${bundle.treeSize} is not the checkpoint's tree size ${body.size}`);
    if (body.rootHex !== bundle.rootHash) return fail(`rootHash ${bundle.rootHash} is not the checkpoint's root ${body.rootHex}`);
    const expected = seal ? [`publication ${seal.publicationId}`, `seal ${seal.eventId} ${seal.position}`] : [];
    if (body.extensions.length !== expected.length || body.extensions.some((line, i) => line !== expected[i])) {
      const said = body.extensions.length === 0 ? 'no extension line' : body.extensions.map((l) => JSON.stringify(l)).join(', ');
      const want = seal ? `sealedBy (${expected.map((l) => JSON.stringify(l)).join(', ')})` : 'no sealedBy (no extension line)';
      return fail(`the checkpoint says ${said}, the bundle says ${want}: the publication or seal was changed`);
    }
    checked.push(`the checkpoint of ${body.origin} is of this tree: size ${body.size}, root ${body.rootHex}${seal ? `, sealed by publication ${seal.publicationId} (event ${seal.eventId}, position ${seal.position})` : ''}`);
    if (options.key === undefined) {
      notChecked.push(`the checkpoint's signer: no --key given (pass the ledger key published with the report, as \`ledger public-key\` prints it)`);
    } else {
      const key = parseVerifierKey(options.key, 0x01);
      if (typeof key === 'string') return fail(`--key: ${key}`);
      if (key.name !== body.origin) return fail(`the checkpoint's origin ${body.origin} is not the name of the key given (${key.name})`);
      const mine = note.signatures.filter((sig) => sig.name === key.name && sig.keyId.equals(key.keyId));
      if (mine.length === 0) {
        const who = note.signatures.map((sig) => `${sig.name}+${sig.keyId.toString('hex')}`).join(', ');
        return fail(`the checkpoint is not signed by the key given (${key.name}+${key.keyId.toString('hex')}); it is signed by ${who}`);
      }
      for (const sig of mine) {
        if (!crypto.verify(null, Buffer.from(note.text, 'utf8'), key.publicKey, sig.signature)) {
          return fail(`the checkpoint's signature by ${key.name}+${key.keyId.toString('hex')} does not verify: the checkpoint was altered or not signed by this key`);
        }
      }
      checked.push(`the checkpoint is signed by the key given, ${key.name}+${key.keyId.toString('hex')}`);
    }
    const witnessFailure = checkWitnesses(note, options.witnessKeys ?? [], checked, notChecked);
    if (witnessFailure !== undefined) return fail(witnessFailure);
    return done();
  } catch (error) {
    return fail(`the bundle could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * C2SP tlog-cosignature/v1: each witness key given (type 0x04) must have cosigned the
 * checkpoint's text, `cosignature/v1\\ntime <t>\\n<text>`, and every line of it must verify.
 * Answers the failure, or undefined (what was checked is pushed on `checked`).
 */
function checkWitnesses(note, witnessKeys, checked, notChecked) {
  const text = Buffer.from(note.text, 'utf8');
  if (witnessKeys.length === 0) {
    notChecked.push(`witness cosignatures: no --witness-key given, none checked (the checkpoint carries ${note.signatures.length} signature line(s) in all)`);
    return undefined;
  }
  for (const [i, vkey] of witnessKeys.entries()) {
    const key = parseVerifierKey(vkey, 0x04);
    if (typeof key === 'string') return `--witness-key ${i + 1}: ${key}`;
    const label = `${key.name}+${key.keyId.toString('hex')}`;
    const lines = note.signatures.filter((sig) => sig.name === key.name && sig.keyId.equals(key.keyId));
    if (lines.length === 0) return `the checkpoint carries no cosignature by the witness ${label} (--witness-key ${i + 1})`;
    const times = [];
    for (const sig of lines) {
      if (sig.signature.length !== 8 + 64) return `the cosignature by ${label} is ${sig.signature.length} bytes after its key ID, not 72 (timestamp and Ed25519 signature)`;
      const time = sig.signature.readBigUInt64BE(0);
      if (time > 2n ** 63n - 1n) return `the cosignature by ${label} is dated beyond 2^63 - 1`;
      const message = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${time}\n`, 'utf8'), text]);
      if (!crypto.verify(null, message, key.publicKey, sig.signature.subarray(8))) {
        return `the cosignature by the witness ${label} does not verify: the checkpoint was altered or not cosigned by this witness`;
      }
      times.push(time <= BigInt(8.64e12) ? new Date(Number(time) * 1000).toISOString() : `${time} s`);
    }
    checked.push(`the checkpoint is cosigned by the witness ${label} (at ${times.join(', ')})`);
  }
  return undefined;
}

const SIGNATURE_PREFIX = '\u2014 ';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Canonical base64 only: one spelling per value (decode, encode again, compare). */
function base64(text) {
  if (!BASE64.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** A C2SP signed note: its text (up to the last blank line, final newline included) and its signature lines. */
function splitNote(note) {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) return 'a control character other than newline';
  const end = note.lastIndexOf('\n\n');
  if (end < 0) return 'no blank line before the signatures';
  if (!note.endsWith('\n')) return 'the last signature line does not end with a newline';
  const text = note.slice(0, end + 1);
  const lines = note.slice(end + 2, -1).split('\n');
  const signatures = [];
  for (const [i, line] of lines.entries()) {
    const at = `signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) return `${at} does not start with "\u2014 "`;
    const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[0].includes('+')) return `${at} is not "\u2014 <key name> <base64>"`;
    const bytes = base64(parts[1]);
    if (bytes === null || bytes.length < 5) return `${at}: the signature is not canonical base64 of a key ID and a signature`;
    signatures.push({ name: parts[0], keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) return 'no signature';
  return { text, signatures };
}

/** The checkpoint body (C2SP tlog-checkpoint): origin, size, base64 root, extension lines. */
function parseCheckpointBody(text) {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return 'fewer than 3 lines (origin, tree size, root hash)';
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') return 'the origin (line 1) is empty';
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) return `the tree size (line 2) ${JSON.stringify(size)} is not a decimal count`;
  const rootBytes = base64(root);
  if (rootBytes === null || rootBytes.length !== 32) return 'the root hash (line 3) is not canonical base64 of 32 bytes';
  if (extensions.some((line) => line === '')) return 'an empty extension line';
  return { origin, size: Number(size), rootHex: rootBytes.toString('hex'), extensions };
}

/** `<name>+<key ID, 8 hex>+<base64(type || 32-byte Ed25519 key)>`, type 0x01 (the ledger) or 0x04 (a witness); the key ID is recomputed. */
function parseVerifierKey(vkey, type) {
  // The name holds no '+'; the base64 may.
  const parts = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)?.slice(1);
  if (parts === undefined) return 'not a verifier key (<name>+<8 hex>+<base64>)';
  const bytes = base64(parts[2]);
  if (bytes === null || bytes.length !== 33) return `not an Ed25519 verifier key (type 0x0${type}, 32 bytes)`;
  if (bytes[0] !== type) {
    return type === 0x01
      ? `a key of type 0x0${bytes[0].toString(16)}, not the ledger's (type 0x01, as \`ledger public-key\` prints it)`
      : `a key of type 0x0${bytes[0].toString(16)}, not a witness cosignature key (type 0x04, as witness.vkey of a witness state holds it)`;
  }
  const keyId = sha256(Buffer.from(`${parts[0]}\n`, 'utf8'), bytes).subarray(0, 4);
  if (keyId.toString('hex') !== parts[1]) return `its key ID ${parts[1]} is not that of its name and key (${keyId.toString('hex')})`;
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), bytes.subarray(1)]);
  return { name: parts[0], keyId, publicKey: crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

function main(argv) {
  const args = [...argv];
  /** Takes every `--name VALUE` out of args; a value naming a file is read. Undefined: a value is missing. */
  const take = (name) => {
    const values = [];
    for (let at = args.indexOf(name); at >= 0; at = args.indexOf(name)) {
      const value = args[at + 1];
      if (value === undefined || value.startsWith('--')) return undefined;
      values.push(fs.existsSync(value) ? fs.readFileSync(value, 'utf8').trim() : value);
      args.splice(at, 2);
    }
    return values;
  };
  const keys = take('--key');
  if (keys === undefined) {
    process.stderr.write('usage: --key needs the ledger key (as `ledger public-key` prints it) or a file holding it\n');
    return 2;
  }
  if (keys.length > 1) {
    process.stderr.write('usage: --key is given once (the ledger has one key); witnesses go in --witness-key\n');
    return 2;
  }
  const key = keys[0];
  const witnessKeys = take('--witness-key');
  if (witnessKeys === undefined) {
    process.stderr.write("usage: --witness-key needs a witness's cosignature key (witness.vkey of its state) or a file holding it\n");
    return 2;
  }
  if (args.length !== 1 || args[0].startsWith('--')) {
    process.stderr.write('usage: node verify-proof.js [--key <VKEY|FILE>] [--witness-key <VKEY|FILE>]... <proof-bundle.json>\n');
    return 2;
  }
  const file = args[0];
  let bundle;
  try {
    bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`REFUSED: cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = verifyProofBundle(bundle, { ...(key === undefined ? {} : { key }), witnessKeys });
  for (const line of result.checked) process.stdout.write(`ok: ${line}\n`);
  for (const line of result.notChecked ?? []) process.stdout.write(`not checked: ${line}\n`);
  if (!result.ok) {
    process.stderr.write(`REFUSED: ${result.failure}\n`);
    return 1;
  }
  const seal = bundle.sealedBy;
  const erased = bundle.payload === 'erased' ? ' (payload erased: the event\'s place and public part only)' : '';
  if (key !== undefined) {
    const of = seal ? `, sealed by publication ${seal.publicationId}` : '';
    const cosigned = witnessKeys.length === 0 ? '' : ` ${witnessKeys.length === 1 ? 'The witness given' : `The ${witnessKeys.length} witnesses given`} cosigned it.`;
    process.stdout.write(`VERIFIED${erased}. The ledger key given signed this tree of ${bundle.treeSize} events, root ${bundle.rootHash}${of}.${cosigned}\n`);
  } else {
    // What the bundle cannot prove without the ledger's key: that this root is the ledger's.
    const report = seal && typeof seal === 'object' ? `the report of publication ${seal.publicationId}` : 'a published report';
    const cosigned = witnessKeys.length === 0 ? '' : `${witnessKeys.length === 1 ? 'the witness given' : `the ${witnessKeys.length} witnesses given`} cosigned it, `;
    process.stdout.write(
      `VERIFIED${erased}, ${cosigned}signer not checked. To trust rootHash, pass --key with the ledger key published with the report, or check that ${report} seals the same root ${bundle.rootHash} for a tree of ${bundle.treeSize} events.\n`,
    );
  }
  return 0;
}

module.exports = { verifyProofBundle, canonicalRecord, rootFromInclusionProof };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
