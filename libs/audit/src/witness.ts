import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { writePrivateFile } from '@ledger/files';
import type { Checkpoint, NoteVerifier } from '@ledger/integrity';
import {
  CheckpointError,
  cosignCheckpoint,
  Ed25519Cosigner,
  KeyFormatError,
  NoteError,
  noteVerifier,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  verifyConsistency,
} from '@ledger/integrity';

/**
 * A witness (docs/signed-checkpoints.md, "Witness"): it holds the last checkpoint it cosigned,
 * and cosigns a newer one only when the ledger's key signed it and a consistency proof shows
 * that it extends the one held. Anything else is refused, naming both checkpoints.
 */

/** Where a witness reads the ledger: its HTTP API, or its database directly. */
export interface CheckpointSource {
  /** For messages: the URL or the store. */
  readonly name: string;
  /** The latest signed checkpoint, as served (null: the ledger signed none). */
  latest(): Promise<string | null>;
  /** The RFC 9162 consistency proof from the tree of `from` leaves to the tree of `to` leaves. */
  consistency(from: number, to: number): Promise<Buffer[]>;
}

export type WitnessRefusalKind =
  | 'no-checkpoint'
  | 'malformed'
  | 'bad-signature'
  | 'other-origin'
  | 'other-key'
  | 'rollback'
  | 'fork'
  | 'inconsistent';

/** A checkpoint the witness will not cosign: a finding (exit 1). */
export class WitnessRefusal extends Error {
  constructor(
    readonly kind: WitnessRefusalKind,
    message: string,
    /** The checkpoint the witness holds, when it holds one. */
    readonly held?: string,
    /** The checkpoint offered. */
    readonly offered?: string,
  ) {
    super(message);
    this.name = 'WitnessRefusal';
  }
}

/** The witness was used wrongly (a state folder that is not one, no ledger key): usage (exit 2). */
export class WitnessUsageError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessUsageError';
  }
}

/** `<origin> size <n> root <base64>`: how findings name a checkpoint. */
export function describeCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.origin} size ${checkpoint.size} root ${checkpoint.rootHash.toString('base64')}`;
}

/** The files of a witness state folder. */
export const WITNESS_FILES = {
  /** The ledger's verifier key (C2SP vkey), fixed by the first round. */
  logKey: 'log.vkey',
  /** This witness's cosignature verifier key (type 0x04), for auditors. */
  witnessKey: 'witness.vkey',
  /** The latest checkpoint cosigned: the ledger's signature and this witness's. */
  latest: 'checkpoint',
  /** Every checkpoint cosigned, `<size, 20 digits>.checkpoint`. */
  history: 'history',
} as const;

export interface WitnessState {
  readonly dir: string;
  readonly logKey: NoteVerifier;
  readonly logVkey: string;
  /** The checkpoint held, opened with the ledger's key; null before the first round. */
  readonly held: { readonly note: string; readonly checkpoint: Checkpoint } | null;
}

/**
 * Reads a witness state folder. `logVkey`, when given, must be the one the state holds (a
 * state of another ledger is refused); a new state needs it.
 */
export function readWitnessState(dir: string, logVkey?: string): WitnessState {
  if (existsSync(dir) && !existsSync(join(dir, WITNESS_FILES.logKey)) && readdirSync(dir).length > 0) {
    throw new WitnessUsageError(`${dir} is not a witness state (no ${WITNESS_FILES.logKey}) and not empty`);
  }
  const stateKeyFile = join(dir, WITNESS_FILES.logKey);
  const stored = existsSync(stateKeyFile) ? readFileSync(stateKeyFile, 'utf8').trim() : undefined;
  const vkey = stored ?? logVkey?.trim();
  if (vkey === undefined) throw new WitnessUsageError(`${dir} holds no ledger key yet: give the ledger's public key (\`ledger public-key\`) with --log-key`);
  let logKey: NoteVerifier;
  try {
    logKey = noteVerifier(vkey);
  } catch (error) {
    if (error instanceof KeyFormatError) throw new WitnessUsageError(`${stored !== undefined ? stateKeyFile : '--log-key'}: ${error.message}`);
    throw error;
  }
  if (stored !== undefined && logVkey !== undefined && logVkey.trim() !== stored) {
    throw new WitnessRefusal('other-key', `${dir} witnesses the ledger key ${stored}, not ${logVkey.trim()}: a witness state is for one ledger`);
  }
  const latestFile = join(dir, WITNESS_FILES.latest);
  if (!existsSync(latestFile)) return { dir, logKey, logVkey: vkey, held: null };
  const note = readFileSync(latestFile, 'utf8');
  try {
    return { dir, logKey, logVkey: vkey, held: { note, checkpoint: openCheckpoint(note, { logKey, origin: logKey.name }).checkpoint } };
  } catch (error) {
    if (error instanceof NoteError || error instanceof CheckpointError) throw new WitnessUsageError(`${latestFile}: ${error.message}`);
    throw error;
  }
}

export interface WitnessRound {
  /** `cosigned`: a larger tree; `same`: the tree held, cosigned again (fresh time); `first`: the first checkpoint held. */
  readonly status: 'first' | 'cosigned' | 'same';
  readonly held: Checkpoint | null;
  readonly checkpoint: Checkpoint;
  /** The checkpoint with the ledger's signature and this witness's cosignature, as stored. */
  readonly cosigned: string;
}

/**
 * One round: the latest checkpoint fetched, checked (format, the ledger's signature, the origin
 * held), shown consistent with the one held, cosigned at `timestamp` (POSIX seconds) and stored.
 * Refused: `WitnessRefusal` (nothing is stored).
 */
export async function witnessRound(source: CheckpointSource, state: WitnessState, cosigner: Ed25519Cosigner, timestamp: number): Promise<WitnessRound> {
  const offered = await source.latest();
  if (offered === null) throw new WitnessRefusal('no-checkpoint', `${source.name} serves no checkpoint (the ledger signed none yet)`);
  const held = state.held?.checkpoint ?? null;
  const heldLabel = held ? describeCheckpoint(held) : undefined;
  // The origin first, from the unverified text: a checkpoint of another log is named as such.
  let unverified: Checkpoint;
  try {
    unverified = parseCheckpoint(parseNote(offered).text);
  } catch (error) {
    if (error instanceof NoteError || error instanceof CheckpointError) {
      throw new WitnessRefusal('malformed', `the checkpoint from ${source.name} is malformed: ${error.message}`, heldLabel);
    }
    throw error;
  }
  const offeredLabel = describeCheckpoint(unverified);
  if (unverified.origin !== state.logKey.name) {
    throw new WitnessRefusal('other-origin', `the checkpoint from ${source.name} (${offeredLabel}) is of another log than this witness state's (${state.logKey.name}${heldLabel ? `; held: ${heldLabel}` : ''})`, heldLabel, offeredLabel);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(offered, { logKey: state.logKey, origin: state.logKey.name }).checkpoint;
  } catch (error) {
    if (error instanceof NoteError || error instanceof CheckpointError) {
      throw new WitnessRefusal('bad-signature', `the checkpoint from ${source.name} (${offeredLabel}) is not validly signed by the ledger key: ${error.message}`, heldLabel, offeredLabel);
    }
    throw error;
  }
  let status: WitnessRound['status'] = 'first';
  if (held) {
    const both = `held: ${describeCheckpoint(held)}; offered: ${offeredLabel}`;
    if (checkpoint.size < held.size) throw new WitnessRefusal('rollback', `the ledger rolled back or truncated its log (${both})`, heldLabel, offeredLabel);
    if (checkpoint.size === held.size) {
      if (!checkpoint.rootHash.equals(held.rootHash)) throw new WitnessRefusal('fork', `two different checkpoints of the same size: a fork (${both})`, heldLabel, offeredLabel);
      status = 'same';
    } else {
      const proof = await source.consistency(held.size, checkpoint.size);
      if (!verifyConsistency(held.size, checkpoint.size, held.rootHash, checkpoint.rootHash, proof)) {
        throw new WitnessRefusal('inconsistent', `the offered checkpoint does not extend the one held: its consistency proof fails (a rewritten history or a fork) (${both})`, heldLabel, offeredLabel);
      }
      status = 'cosigned';
    }
  }
  const cosigned = cosignCheckpoint(offered, state.logKey, cosigner, timestamp);
  storeRound(state, cosigner, checkpoint, cosigned);
  return { status, held, checkpoint, cosigned };
}

/** Writes the round's files, each through a temporary file renamed over it (a crash leaves the old one). */
function storeRound(state: WitnessState, cosigner: Ed25519Cosigner, checkpoint: Checkpoint, cosigned: string): void {
  const history = join(state.dir, WITNESS_FILES.history);
  mkdirSync(history, { recursive: true });
  const write = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  write(join(state.dir, WITNESS_FILES.logKey), `${state.logVkey}\n`);
  write(join(state.dir, WITNESS_FILES.witnessKey), `${cosigner.verifierKey()}\n`);
  write(join(history, `${String(checkpoint.size).padStart(20, '0')}.checkpoint`), cosigned);
  write(join(state.dir, WITNESS_FILES.latest), cosigned);
}

/** The checkpoints a witness state holds (its history, or the latest alone), for `audit --trusted DIR`. */
export function witnessStateCheckpoints(dir: string): Array<{ readonly file: string; readonly note: string }> {
  const history = join(dir, WITNESS_FILES.history);
  const files = existsSync(history)
    ? readdirSync(history)
        .filter((f) => f.endsWith('.checkpoint'))
        .sort()
        .map((f) => join(history, f))
    : existsSync(join(dir, WITNESS_FILES.latest))
      ? [join(dir, WITNESS_FILES.latest)]
      : [];
  return files.map((file) => ({ file, note: readFileSync(file, 'utf8') }));
}

/** The witness's own key (`--key FILE`): an Ed25519 PKCS#8 PEM, made 0600 on first use. */
export function loadWitnessKey(file: string, name: string): Ed25519Cosigner {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writePrivateFile(file, Ed25519Cosigner.fromPrivateKey(name, privateKey).toPem());
  }
  try {
    return Ed25519Cosigner.fromPem(name, readFileSync(file));
  } catch (error) {
    if (error instanceof KeyFormatError) throw new WitnessUsageError(`${file} (--key): ${error.message}`);
    throw error;
  }
}
