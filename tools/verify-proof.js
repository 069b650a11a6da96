#!/usr/bin/env node
'use strict';
/**
 * Checks an impact-ledger proof bundle (`ledger proof <event-id>`) with nothing but Node.js
 * (18 or later) and this file: no access to the ledger, no other code, no network.
 *
 *   node verify-proof.js proof.json      exit 0: verified; 1: refused (the reason is printed); 2: usage
 *
 * It checks that the event in the bundle, byte for byte as the ledger stored it, is the
 * leaf at `leafIndex` of the RFC 6962 Merkle tree of `treeSize` leaves whose root is
 * `rootHash`. Whether that root is the ledger's is for you to check: compare it with the
 * sealed root printed in the published report (see docs/audit.md).
 */
const crypto = require('crypto');
const fs = require('fs');

const FORMAT = 'impact-ledger-proof/1';
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
function verifyProofBundle(bundle) {
  const checked = [];
  const fail = (failure) => ({ ok: false, checked, failure });
  try {
    if (typeof bundle !== 'object' || bundle === null) return fail('the bundle is not a JSON object');
    if (bundle.format !== FORMAT) return fail(`format is ${JSON.stringify(bundle.format)}, not ${FORMAT}`);

    const e = bundle.event;
    if (typeof e !== 'object' || e === null) return fail('event is missing');
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

    const proof = bundle.inclusionProof.map((h) => Buffer.from(h, 'hex'));
    const root = rootFromInclusionProof(leaf, bundle.leafIndex, bundle.treeSize, proof);
    if (root === null) {
      return fail(`the inclusion proof has ${proof.length} nodes: wrong for leaf ${bundle.leafIndex} of a tree of ${bundle.treeSize}`);
    }
    if (root.toString('hex') !== bundle.rootHash) {
      return fail(`the inclusion proof leads to root ${root.toString('hex')}, not to rootHash ${bundle.rootHash}`);
    }
    checked.push(`its inclusion proof (${proof.length} nodes) leads to rootHash ${bundle.rootHash}`);
    return { ok: true, checked };
  } catch (error) {
    return fail(`the bundle could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node verify-proof.js <proof-bundle.json>\n');
    return 2;
  }
  let bundle;
  try {
    bundle = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  } catch (error) {
    process.stderr.write(`REFUSED: cannot read ${argv[0]} as JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = verifyProofBundle(bundle);
  for (const line of result.checked) process.stdout.write(`ok: ${line}\n`);
  if (!result.ok) {
    process.stderr.write(`REFUSED: ${result.failure}\n`);
    return 1;
  }
  // What the bundle cannot prove by itself: that this root is the ledger's.
  const seal = bundle.sealedBy;
  const report = seal && typeof seal === 'object' ? `the report of publication ${seal.publicationId}` : 'a published report';
  process.stdout.write(
    `VERIFIED. To trust rootHash, check that ${report} seals the same root ${bundle.rootHash} for a tree of ${bundle.treeSize} events.\n`,
  );
  return 0;
}

module.exports = { verifyProofBundle, canonicalRecord, rootFromInclusionProof };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
