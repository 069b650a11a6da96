import type { Checkpoint, NoteVerifier } from '@ledger/integrity';
import { CheckpointError, cosignaturesBy, NoteError, openCheckpoint, parseCheckpoint, parseNote } from '@ledger/integrity';

/**
 * Checkpoints an auditor holds (`audit --trusted`): each must be signed by the ledger's key
 * (and its cosignatures by the witness keys given must verify), and the log today must contain
 * it: its size at most the head, the root of its first `size` events its root.
 */

/** A trusted checkpoint as given: where it comes from (a file) and its signed note. */
export interface TrustedInput {
  readonly source: string;
  readonly note: string;
}

export interface TrustedCheck {
  /** The file it was read from. */
  readonly source: string;
  readonly origin?: string;
  readonly treeSize?: number;
  /** Base64, as in the checkpoint. */
  readonly root?: string;
  /** Its recomputed counterpart: the root (base64) of the log's first `treeSize` events today; null when the log has not that many, or does not verify that far. */
  readonly logRoot?: string | null;
  /** The witnesses whose cosignature verified (name+key ID), with their times. */
  readonly cosignedBy: readonly string[];
  readonly ok: boolean;
  /** Why not: the checkpoint names itself in it. */
  readonly problem?: string;
  /**
   * Where the log first differs from it, where that can be found: the first missing position
   * of a truncated log, the position where the log stops verifying, or the range between the
   * largest tree that still matches (a seal or another trusted checkpoint) and this one.
   */
  readonly firstDifference?: { readonly after: number; readonly atMost: number };
}

/** A trusted checkpoint opened: what the audit then compares with the log. */
export interface OpenedTrusted {
  readonly input: TrustedInput;
  readonly checkpoint?: Checkpoint;
  readonly cosignedBy: readonly string[];
  readonly problem?: string;
}

/** Opens each trusted checkpoint with the ledger's key and the witness keys; a bad one is a finding, not an exception. */
export function openTrusted(inputs: readonly TrustedInput[], logKey: NoteVerifier, witnesses: readonly NoteVerifier[]): OpenedTrusted[] {
  return inputs.map((input) => {
    try {
      const opened = openCheckpoint(input.note, { logKey, origin: logKey.name, otherKeys: witnesses });
      const cosignedBy = cosignaturesBy(opened.note.verified, witnesses).map((c) => `${c.name}+${c.keyId.toString(16).padStart(8, '0')} at ${c.timestamp}`);
      return { input, checkpoint: opened.checkpoint, cosignedBy };
    } catch (error) {
      if (!(error instanceof NoteError || error instanceof CheckpointError)) throw error;
      let checkpoint: Checkpoint | undefined;
      try {
        checkpoint = parseCheckpoint(parseNote(input.note).text);
      } catch {
        checkpoint = undefined;
      }
      return { input, ...(checkpoint ? { checkpoint } : {}), cosignedBy: [], problem: `${input.source}: ${error.message}` };
    }
  });
}

/**
 * Each opened checkpoint against the log: `rootsAt` holds the recomputed root (hex) of each
 * size reached, `head` the log's size, `fault` where the log stops verifying, `matching` the
 * sizes of other trees known to match (sealed publications), for locating a difference.
 */
export function checkTrusted(
  opened: readonly OpenedTrusted[],
  log: { readonly head: number; readonly rootsAt: ReadonlyMap<number, string>; readonly faultAt?: number; readonly matching: readonly number[] },
): TrustedCheck[] {
  const rootOf = (size: number) => log.rootsAt.get(size) ?? null;
  const matches = (c: Checkpoint) => c.size <= log.head && rootOf(c.size) === c.rootHash.toString('hex');
  const matchingSizes = [...log.matching, ...opened.flatMap((o) => (o.checkpoint && !o.problem && matches(o.checkpoint) ? [o.checkpoint.size] : []))];
  return opened.map((o) => {
    const c = o.checkpoint;
    const base = { source: o.input.source, cosignedBy: o.cosignedBy };
    if (!c) return { ...base, ok: false, problem: o.problem ?? `${o.input.source}: not a checkpoint` };
    const label = `checkpoint ${o.input.source} (size ${c.size}, root ${c.rootHash.toString('base64')})`;
    const logRootHex = rootOf(c.size);
    const described = { ...base, origin: c.origin, treeSize: c.size, root: c.rootHash.toString('base64'), logRoot: logRootHex === null ? null : Buffer.from(logRootHex, 'hex').toString('base64') };
    if (o.problem) return { ...described, ok: false, problem: o.problem };
    if (c.size > log.head) {
      return { ...described, ok: false, problem: `${label}: the log has ${log.head} events, fewer than the checkpoint's ${c.size} (truncated or rolled back)`, firstDifference: { after: log.head, atMost: log.head + 1 } };
    }
    if (matches(c)) return { ...described, ok: true };
    const after = Math.max(0, ...matchingSizes.filter((size) => size < c.size));
    const atMost = log.faultAt !== undefined && log.faultAt <= c.size ? log.faultAt : c.size;
    const why = logRootHex === null ? `the log does not verify up to its size (fault at position ${log.faultAt})` : 'the root of the log\'s first events differs (rewritten history or a fork)';
    return { ...described, ok: false, problem: `${label}: ${why}; the first difference is after position ${after}, at or before ${atMost}`, firstDifference: { after, atMost } };
  });
}
