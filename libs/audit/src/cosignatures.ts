import type { NoteSignature, NoteVerifier } from '@ledger/integrity';
import {
  CheckpointError,
  cosignatureTimestamp,
  cosignatureVerifier,
  KeyFormatError,
  KnownKeys,
  MAX_NOTE_SIGNATURES,
  NoteError,
  parseCheckpoint,
  parseNote,
  signatureLabel,
} from '@ledger/integrity';
import type { EventStore, StoredCheckpoint, StoredCosignature } from '@ledger/store';

/**
 * The ledger's side of witness cosignatures (docs/signed-checkpoints.md, "Collected
 * cosignatures"): a witness sends back the checkpoint it cosigned; the ledger keeps each
 * cosignature line that verifies under a witness key it accepts (LEDGER_WITNESS_KEYS), for a
 * checkpoint it signed and kept, and serves the checkpoint with the lines collected.
 */

export type CosignatureRefusalRule =
  | 'no-witness-configured'
  | 'malformed'
  | 'unknown-checkpoint'
  | 'not-the-ledger-signature'
  | 'unknown-witness'
  | 'invalid-cosignature'
  | 'no-cosignature';

/** A submission refused (HTTP 400): nothing of it is kept. `line` is 1-based in the note sent. */
export class CosignatureRefusal extends RangeError {
  constructor(
    readonly rule: CosignatureRefusalRule,
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'CosignatureRefusal';
  }
}

/** The witness keys LEDGER_WITNESS_KEYS names (comma-separated cosignature vkeys, type 0x04); a bad one is a RangeError naming it. */
export function acceptedWitnessKeys(list: string): NoteVerifier[] {
  const vkeys = list
    .split(',')
    .map((vkey) => vkey.trim())
    .filter((vkey) => vkey !== '');
  const verifiers = vkeys.map((vkey, i) => {
    try {
      return cosignatureVerifier(vkey);
    } catch (error) {
      if (error instanceof KeyFormatError) throw new RangeError(`LEDGER_WITNESS_KEYS, key ${i + 1} (${vkey.slice(0, 60)}): ${error.message}`);
      throw error;
    }
  });
  new KnownKeys(verifiers); // refuses two different keys under one name and key ID
  return verifiers;
}

/** The kept checkpoint whose note text is `text`, among those of its size. */
async function keptCheckpoint(store: EventStore, size: number, text: string): Promise<StoredCheckpoint | undefined> {
  for (const kept of await store.checkpoints()) {
    if (kept.treeSize === size && parseNote(kept.note).text === text) return kept;
  }
  return undefined;
}

/**
 * Checks a cosigned checkpoint sent by a witness and returns the cosignatures to keep. The
 * note's text must be that of a checkpoint the ledger kept; a line by the ledger's key must be
 * the ledger's own line; a line already kept is accepted again (idempotent); every other line
 * must be a cosignature by an accepted witness key that verifies. At least one cosignature.
 */
export async function checkCosignatures(store: EventStore, submitted: string, witnesses: readonly NoteVerifier[], receivedAt: string): Promise<{ readonly checkpoint: StoredCheckpoint; readonly cosignatures: StoredCosignature[] }> {
  if (witnesses.length === 0) throw new CosignatureRefusal('no-witness-configured', 'this ledger accepts no witness cosignature: LEDGER_WITNESS_KEYS names no witness key');
  let text: string;
  let signatures: readonly NoteSignature[];
  let size: number;
  try {
    ({ text, signatures } = parseNote(submitted));
    size = parseCheckpoint(text).size;
  } catch (error) {
    if (error instanceof NoteError || error instanceof CheckpointError) throw new CosignatureRefusal('malformed', `the checkpoint sent is malformed: ${error.message}`);
    throw error;
  }
  const kept = await keptCheckpoint(store, size, text);
  if (!kept) throw new CosignatureRefusal('unknown-checkpoint', `the ledger never signed this checkpoint (size ${size}, first line ${JSON.stringify(text.split('\n')[0])}): only checkpoints it signed and kept can be cosigned`);
  const ledgerLines = new Map(parseNote(kept.note).signatures.map((s) => [signatureLabel(s), s.base64]));
  const already = new Set((await store.cosignatures(size)).filter((c) => c.checkpoint === text).map((c) => c.line));
  const known = new KnownKeys(witnesses);
  const body = Buffer.from(text, 'utf8');
  const fresh: StoredCosignature[] = [];
  let cosignatures = 0;
  for (const signature of signatures) {
    const label = signatureLabel(signature);
    const line = `— ${signature.name} ${signature.base64}`;
    const ledgers = ledgerLines.get(label);
    if (ledgers !== undefined) {
      if (ledgers !== signature.base64) throw new CosignatureRefusal('not-the-ledger-signature', `a signature by the ledger's key ${label} that the ledger did not make`, signature.line);
      continue;
    }
    cosignatures += 1;
    if (already.has(line)) continue;
    const witness = known.get(signature.name, signature.keyId);
    if (!witness) {
      throw new CosignatureRefusal('unknown-witness', `a signature by ${label}, which is not a witness key this ledger accepts (LEDGER_WITNESS_KEYS: ${witnesses.map(signatureLabel).join(', ')})`, signature.line);
    }
    let cosignedAt: bigint;
    try {
      cosignedAt = cosignatureTimestamp(signature);
    } catch (error) {
      if (error instanceof RangeError) throw new CosignatureRefusal('invalid-cosignature', `the cosignature by ${label} is not a cosignature/v1: ${error.message}`, signature.line);
      throw error;
    }
    if (!witness.verify(body, signature.signature)) throw new CosignatureRefusal('invalid-cosignature', `the cosignature by ${label} does not verify over this checkpoint`, signature.line);
    if (cosignedAt > BigInt(Number.MAX_SAFE_INTEGER)) throw new CosignatureRefusal('invalid-cosignature', `the cosignature by ${label} is dated ${cosignedAt}, beyond any time this ledger keeps`, signature.line);
    fresh.push({ treeSize: size, checkpoint: text, witness: label, line, cosignedAt: Number(cosignedAt), receivedAt });
    already.add(line);
  }
  if (cosignatures === 0) throw new CosignatureRefusal('no-cosignature', 'the checkpoint sent carries no cosignature: only the ledger\'s own signature');
  return { checkpoint: kept, cosignatures: fresh };
}

/**
 * The checkpoint as served: the note the ledger kept, then the latest cosignature of each
 * witness collected for it (the newest time, then the last received), up to a note's 100 lines.
 */
export function withCosignatures(checkpoint: StoredCheckpoint, collected: readonly StoredCosignature[]): string {
  const note = parseNote(checkpoint.note);
  const latest = new Map<string, StoredCosignature>();
  for (const c of collected) {
    if (c.checkpoint !== note.text) continue;
    const before = latest.get(c.witness);
    if (!before || c.cosignedAt >= before.cosignedAt) latest.set(c.witness, c);
  }
  const own = new Set(note.signatures.map(signatureLabel));
  const room = MAX_NOTE_SIGNATURES - note.signatures.length;
  const lines = [...latest.values()].filter((c) => !own.has(c.witness)).slice(0, Math.max(0, room));
  return checkpoint.note + lines.map((c) => `${c.line}\n`).join('');
}

/** A kept checkpoint with the cosignatures collected for it. */
export async function servedCheckpoint(store: EventStore, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
  return { ...checkpoint, note: withCosignatures(checkpoint, await store.cosignatures(checkpoint.treeSize)) };
}

/**
 * A proof bundle whose checkpoint is one the ledger kept (a tree without publication, at the
 * size of a checkpoint witnesses cosigned: Ed25519 signs it byte for byte the same) carries the
 * cosignatures collected for it, which `tools/verify-proof.js --witness-key` checks.
 */
export async function withCollectedCosignatures<T extends { readonly treeSize: number; readonly checkpoint?: string; readonly sealedBy?: unknown }>(store: EventStore, bundle: T): Promise<T> {
  if (bundle.checkpoint === undefined || bundle.sealedBy !== undefined) return bundle;
  const collected = await store.cosignatures(bundle.treeSize);
  if (collected.length === 0) return bundle;
  return { ...bundle, checkpoint: withCosignatures({ treeSize: bundle.treeSize, signedAt: '', note: bundle.checkpoint }, collected) };
}
