import { HASH_BYTES } from './hashing';
import {
  checkNoteText,
  decodeBase64Strict,
  isValidKeyName,
  KnownKeys,
  NoteError,
  openNote,
  signatureLabel,
  signNote,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './signed-note';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
 *
 *   <origin>\n<tree size, decimal>\n<base64 RFC 6962 root>\n[<extension line>\n]...
 *
 * signed as a C2SP signed note. The parser is strict: a refusal names the line and what
 * is wrong. It reads any origin (clients must not assume its form); the formatter writes
 * only origins that can also be key names (no space, no `+`), since the log's key is
 * named after its origin.
 */
export interface Checkpoint {
  readonly origin: string;
  /** Number of leaves; this ledger's trees hold at most 2^53 - 1. */
  readonly size: number;
  /** RFC 6962 SHA-256 root of the first `size` leaves. */
  readonly rootHash: Buffer;
  /** Opaque lines after the root, each non-empty; the signature covers them. */
  readonly extensions: readonly string[];
}

export type CheckpointRule = 'text' | 'missing-line' | 'origin' | 'size' | 'root-hash' | 'extension' | 'origin-mismatch' | 'not-signed-by-log' | 'key-name';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly rule: CheckpointRule,
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `checkpoint line ${line}: ${message}`);
  }
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** The checkpoint's note text. Refuses what a strict parser would refuse back. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  if (!isValidKeyName(origin)) {
    throw new CheckpointError('origin', `origin ${JSON.stringify(origin)} must be non-empty, without spaces, '+' or control characters (the log's key is named after it)`, 1);
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError('size', `tree size must be a non-negative safe integer, got ${size}`, 2);
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_BYTES) {
    throw new CheckpointError('root-hash', `the root hash must be ${HASH_BYTES} bytes`, 3);
  }
  extensions.forEach((extension, i) => {
    if (extension.length === 0 || extension.includes('\n')) {
      throw new CheckpointError('extension', 'an extension line must be one non-empty line', 4 + i);
    }
  });
  const text = `${origin}\n${size}\n${Buffer.from(rootHash).toString('base64')}\n${extensions.map((line) => `${line}\n`).join('')}`;
  try {
    checkNoteText(text);
  } catch (error) {
    if (error instanceof NoteError) throw new CheckpointError('extension', error.message.replace(/^line \d+: /, ''), error.line);
    throw error;
  }
  return text;
}

/** Parses a checkpoint's note text (what the signatures cover), strictly. */
export function parseCheckpoint(text: string): Checkpoint {
  try {
    checkNoteText(text);
  } catch (error) {
    if (error instanceof NoteError) throw new CheckpointError('text', error.message.replace(/^line \d+: /, ''), error.line);
    throw error;
  }
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText] = lines;
  if (origin === undefined || origin.length === 0) throw new CheckpointError('origin', 'the origin line is empty', 1);
  if (sizeText === undefined) throw new CheckpointError('missing-line', 'no tree size line (a checkpoint has origin, size and root hash lines)', 2);
  if (!DECIMAL.test(sizeText)) {
    throw new CheckpointError('size', `tree size ${JSON.stringify(sizeText)} must be a decimal number without sign or leading zeros`, 2);
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError('size', `tree size ${sizeText} exceeds 2^53 - 1, beyond what this ledger can hold`, 2);
  if (rootText === undefined) throw new CheckpointError('missing-line', 'no root hash line (a checkpoint has origin, size and root hash lines)', 3);
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === null) throw new CheckpointError('root-hash', 'the root hash is not canonical padded base64', 3);
  if (rootHash.length !== HASH_BYTES) throw new CheckpointError('root-hash', `the root hash is ${rootHash.length} bytes, not ${HASH_BYTES} (RFC 6962 SHA-256)`, 3);
  const extensions = lines.slice(3);
  const empty = extensions.indexOf('');
  if (empty >= 0) throw new CheckpointError('extension', 'an extension line must not be empty', 4 + empty);
  return { origin, size, rootHash, extensions };
}

/**
 * Signs a checkpoint with the log's key. The key is named after the origin
 * (tlog-checkpoint: "the log's key name SHOULD match the origin line"), so that a
 * checkpoint says by itself which key to check it with.
 */
export function signCheckpoint(checkpoint: Checkpoint, logSigner: NoteSigner): string {
  if (logSigner.name !== checkpoint.origin) {
    throw new CheckpointError('key-name', `the log key is named ${JSON.stringify(logSigner.name)}; it must be named after the origin ${JSON.stringify(checkpoint.origin)}`);
  }
  return signNote(formatCheckpoint(checkpoint), [logSigner]);
}

export interface OpenCheckpointOptions {
  /** The log's key: the checkpoint must carry a valid signature by it. */
  readonly logKey: NoteVerifier;
  /** When given, the origin line must be exactly this. */
  readonly origin?: string;
  /** Other keys to check (witness cosigners): a signature by one must verify too. */
  readonly otherKeys?: readonly NoteVerifier[];
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint's note text, as signed. */
  readonly text: string;
  readonly note: OpenedNote;
}

/**
 * Opens a signed checkpoint: the note's format and signatures (NoteError), a valid
 * signature by the log key itself, not merely by some known key, then the body
 * (CheckpointError) and the origin.
 */
export function openCheckpoint(input: string | Uint8Array, options: OpenCheckpointOptions): OpenedCheckpoint {
  const keys = new KnownKeys([options.logKey, ...(options.otherKeys ?? [])]);
  const note = openNote(input, keys);
  const byLog = note.verified.some((s) => s.name === options.logKey.name && s.keyId === options.logKey.keyId);
  if (!byLog) {
    const found = [...note.verified, ...note.unknown].map(signatureLabel).join(', ');
    throw new CheckpointError('not-signed-by-log', `no signature by the log key ${signatureLabel(options.logKey)} (signed by: ${found})`);
  }
  const checkpoint = parseCheckpoint(note.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new CheckpointError('origin-mismatch', `origin ${JSON.stringify(checkpoint.origin)} is not this log's (${JSON.stringify(options.origin)})`, 1);
  }
  return { checkpoint, text: note.text, note };
}

