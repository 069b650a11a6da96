import { createHash, createPrivateKey, createPublicKey, sign as ed25519Sign, verify as ed25519Verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (https://c2sp.org/signed-note), byte-compatible with
 * golang.org/x/mod/sumdb/note: a text ending in a newline, a blank line, then signature
 * lines `— <key name> <base64(key ID || signature)>`. Ed25519 keys in the Go text forms
 * (`PRIVATE+KEY+<name>+<id>+<base64>` and the vkey `<name>+<id>+<base64>`) and as PEM.
 *
 * Parsing is stricter than Go where Go is lax and the spec allows it (each is named in
 * signed-note.spec.ts): non-canonical base64 is refused (otherwise a signature has several
 * spellings), every signature line by a known key is verified (Go skips repeats), and a
 * key listed twice is refused only when the two entries are different keys.
 *
 * Nothing here draws randomness or reads the clock (Ed25519 signing is deterministic): a
 * new key comes from the caller, e.g. `generateKeyPairSync('ed25519').privateKey`.
 */

/** Signature type bytes (signed-note §Signature types) this ledger uses. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

/** Go's limit; the spec asks verifiers to accept at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

const ED25519_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
/** RFC 8410 DER headers: raw Ed25519 keys go through them because node:crypto has no raw import. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// ---------------------------------------------------------------------------------------
// Errors

/** Which rule of the signed-note format a note breaks. */
export type NoteRule =
  | 'not-utf8'
  | 'control-character'
  | 'text-not-terminated'
  | 'no-signature-block'
  | 'signature-not-terminated'
  | 'signature-line'
  | 'key-name'
  | 'signature-encoding'
  | 'signature-length'
  | 'too-many-signatures'
  | 'invalid-signature'
  | 'no-known-signature'
  | 'no-signer';

/** A note refused: `rule` says which rule, `line` (1-based, in the whole note) where. */
export class NoteError extends Error {
  override readonly name = 'NoteError';
  constructor(
    readonly rule: NoteRule,
    message: string,
    readonly line?: number,
    /** For `no-known-signature`: the note as parsed, so a caller can name who did sign it. */
    readonly note?: ParsedNote,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

/** Which part of a key text (vkey, signer key, PEM) is wrong. */
export type KeyRule = 'format' | 'key-name' | 'key-id' | 'encoding' | 'type' | 'length' | 'key-id-mismatch' | 'pem' | 'ambiguous';

export class KeyFormatError extends Error {
  override readonly name = 'KeyFormatError';
  constructor(
    readonly rule: KeyRule,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------
// Text rules shared by notes, keys and checkpoints

/** Unicode White_Space is exactly Go's unicode.IsSpace, which sumdb/note uses for names. */
const WHITE_SPACE = /\p{White_Space}/u;

/** Key names: non-empty, no Unicode space, no `+` (signed-note §Format); no control character either, or no note could carry it. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !WHITE_SPACE.test(name) && !name.includes('+') && firstControlCharacter(name) < 0;
}

/** Index of the first character below U+0020 other than a newline, or -1. */
function firstControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return i;
  }
  return -1;
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** For a UTF-8 lead byte: how many continuation bytes follow, and the range of the first (RFC 3629 §4). */
function utf8Lead(lead: number): { readonly need: number; readonly min: number; readonly max: number } | null {
  if (lead >= 0xc2 && lead <= 0xdf) return { need: 1, min: 0x80, max: 0xbf };
  if (lead === 0xe0) return { need: 2, min: 0xa0, max: 0xbf }; // no overlong form
  if (lead === 0xed) return { need: 2, min: 0x80, max: 0x9f }; // no UTF-16 surrogate
  if (lead >= 0xe1 && lead <= 0xef) return { need: 2, min: 0x80, max: 0xbf };
  if (lead === 0xf0) return { need: 3, min: 0x90, max: 0xbf }; // no overlong form
  if (lead >= 0xf1 && lead <= 0xf3) return { need: 3, min: 0x80, max: 0xbf };
  if (lead === 0xf4) return { need: 3, min: 0x80, max: 0x8f }; // nothing above U+10FFFF
  return null;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const lead = utf8Lead(b);
    if (lead === null) return i;
    for (let k = 1; k <= lead.need; k++) {
      const c = bytes[i + k];
      const [min, max] = k === 1 ? [lead.min, lead.max] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += lead.need + 1;
  }
  return -1;
}

/** Index of the first UTF-16 surrogate without its pair, or -1. */
function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return i;
    } else if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n += 1;
  return n;
}

/**
 * The note as text: valid UTF-8 (or a well-formed string) with no control character but
 * newline (signed-note §Format). Refusals name the line and column.
 */
function noteString(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    const lone = firstLoneSurrogate(input);
    if (lone >= 0) {
      const { line, column } = lineAndColumn(input, lone);
      throw new NoteError('not-utf8', `a lone UTF-16 surrogate at column ${column} has no UTF-8 form`, line);
    }
    text = input;
  } else {
    const bad = firstInvalidUtf8(input);
    if (bad >= 0) {
      throw new NoteError('not-utf8', `byte ${bad} (0x${(input[bad] as number).toString(16).padStart(2, '0')}) is not valid UTF-8`, countNewlines(input, bad) + 1);
    }
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  const control = firstControlCharacter(text);
  if (control >= 0) {
    const { line, column } = lineAndColumn(text, control);
    const code = text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0');
    throw new NoteError('control-character', `control character U+${code} at column ${column}: only newline is allowed`, line);
  }
  return text;
}

/** Checks a note text (what is signed): well-formed, no control character but newline, ending in a newline. */
export function checkNoteText(text: string): void {
  noteString(text);
  if (!text.endsWith('\n')) {
    throw new NoteError('text-not-terminated', 'the note text must end with a newline', lineAndColumn(text, text.length).line);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * RFC 4648 §4 base64, padded, and canonical (unused bits zero, §3.5), or null. Buffer.from
 * would accept anything; a lenient decoder would let one signature be written several ways.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

// ---------------------------------------------------------------------------------------
// Keys

/** Key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian (signed-note §Signatures). */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, type])).update(publicKey).digest().readUInt32BE(0);
}

export function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, '0');
}

export function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new KeyFormatError('key-name', `key name ${JSON.stringify(name)} must be non-empty, without spaces, '+' or control characters`);
  }
}

export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== ED25519_KEY_BYTES) throw new KeyFormatError('length', `an Ed25519 seed is ${ED25519_KEY_BYTES} bytes, not ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKeyFromBytes(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== ED25519_KEY_BYTES) {
    throw new KeyFormatError('length', `an Ed25519 public key is ${ED25519_KEY_BYTES} bytes, not ${publicKey.length}`);
  }
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

function requireEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyFormatError('pem', `${what} is ${key.asymmetricKeyType === undefined ? 'not an asymmetric key' : `an ${key.asymmetricKeyType.toUpperCase()} key`}, not Ed25519`);
  }
}

/** The 32 raw bytes of an Ed25519 public key, from the public or the private KeyObject. */
export function ed25519PublicKeyBytes(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey, 'the key');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function ed25519Seed(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
}

/** PKCS#8 PEM, unencrypted (the ledger's key file is protected by its mode, 0600). */
export function privateKeyToPem(privateKey: KeyObject): string {
  if (privateKey.type !== 'private') throw new KeyFormatError('pem', 'only a private key can be written as a private key PEM');
  requireEd25519(privateKey, 'the key');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** An Ed25519 private key from an unencrypted PKCS#8 PEM; anything else is refused by name. */
export function privateKeyFromPem(pem: string | Buffer): KeyObject {
  const text = pem.toString();
  // OpenSSL says only "interrupted or cancelled" when no passphrase is given: read the label instead.
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || text.includes('Proc-Type: 4,ENCRYPTED')) {
    throw new KeyFormatError('pem', 'the PEM private key is encrypted; the ledger needs an unencrypted PKCS#8 Ed25519 key');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new KeyFormatError('pem', 'not a PEM private key (expected "-----BEGIN PRIVATE KEY-----", PKCS#8 Ed25519)');
  }
  requireEd25519(key, 'the PEM private key');
  return key;
}

/** SPKI PEM of the public half (of a public or a private key). */
export function publicKeyToPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey, 'the key');
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** An Ed25519 public key from an SPKI PEM. A private key PEM is refused: it must not travel where a public key is expected. */
export function publicKeyFromPem(pem: string | Buffer): KeyObject {
  const text = pem.toString();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new KeyFormatError('pem', 'this PEM holds a private key; give the public key (-----BEGIN PUBLIC KEY-----)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new KeyFormatError('pem', 'not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", SPKI Ed25519)');
  }
  requireEd25519(key, 'the PEM public key');
  return key;
}

/** Verifies an Ed25519 signature; false (never a throw) for anything malformed. */
export function verifyEd25519(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return ed25519Verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

export function signEd25519(privateKey: KeyObject, message: Uint8Array): Buffer {
  return ed25519Sign(null, message, privateKey);
}

/** A verifier key's parts. `publicKey` is the key material without the type byte. */
export interface VerifierKeyParts {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Buffer;
}

const KNOWN_TYPES: ReadonlyMap<number, string> = new Map([
  [SIGNATURE_TYPE_ED25519, 'Ed25519'],
  [SIGNATURE_TYPE_COSIGNATURE_V1, 'Ed25519 cosignature/v1'],
]);

/** Splits `<name>+<id>+<base64>` (the base64 part may itself hold `+`). */
function splitKeyText(text: string, parts: number, what: string): string[] {
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < parts - 1; i++) {
    const plus = rest.indexOf('+');
    if (plus < 0) throw new KeyFormatError('format', `${what} must have the form ${what === 'a verifier key' ? '<name>+<key id>+<base64 key>' : 'PRIVATE+KEY+<name>+<key id>+<base64 key>'}`);
    out.push(rest.slice(0, plus));
    rest = rest.slice(plus + 1);
  }
  out.push(rest);
  return out;
}

function decodeKeyMaterial(name: string, idHex: string, key64: string, what: string): { keyId: number; type: number; material: Buffer } {
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new KeyFormatError('key-id', `the key ID of ${what} must be 8 lower-case hex digits, got ${JSON.stringify(idHex)}`);
  const keyBytes = decodeBase64Strict(key64);
  if (keyBytes === null || keyBytes.length === 0) throw new KeyFormatError('encoding', `the key of ${what} is not canonical padded base64`);
  const type = keyBytes[0] as number;
  if (!KNOWN_TYPES.has(type)) throw new KeyFormatError('type', `signature type 0x${type.toString(16).padStart(2, '0')} of ${what} is not one this ledger uses (0x01 Ed25519, 0x04 Ed25519 cosignature/v1)`);
  const material = keyBytes.subarray(1);
  if (material.length !== ED25519_KEY_BYTES) throw new KeyFormatError('length', `the Ed25519 key of ${what} is ${material.length} bytes, not ${ED25519_KEY_BYTES}`);
  return { keyId: Number.parseInt(idHex, 16), type, material };
}

/** Parses a vkey (signed-note §Verifier keys) of type 0x01 or 0x04, checking its key ID. */
export function parseVerifierKey(vkey: string): VerifierKeyParts {
  const [name = '', idHex = '', key64 = ''] = splitKeyText(vkey.trim(), 3, 'a verifier key');
  const { keyId: id, type, material } = decodeKeyMaterial(name, idHex, key64, 'a verifier key');
  const expected = keyId(name, type, material);
  if (id !== expected) throw new KeyFormatError('key-id-mismatch', `the key ID ${idHex} does not match the name and key (expected ${keyIdHex(expected)})`);
  return { name, keyId: id, type, publicKey: material };
}

export function formatVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  checkKeyName(name);
  if (!KNOWN_TYPES.has(type)) throw new KeyFormatError('type', `signature type 0x${type.toString(16)} is not one this ledger uses`);
  if (publicKey.length !== ED25519_KEY_BYTES) throw new KeyFormatError('length', `an Ed25519 public key is ${ED25519_KEY_BYTES} bytes, not ${publicKey.length}`);
  const material = Buffer.concat([Buffer.from([type]), publicKey]);
  return `${name}+${keyIdHex(keyId(name, type, publicKey))}+${material.toString('base64')}`;
}

export interface SignerKeyParts {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
}

/** Parses `PRIVATE+KEY+<name>+<id>+<base64(type || seed)>`; the key ID is checked against the derived public key. */
export function parseSignerKey(skey: string): SignerKeyParts {
  const [private1, private2, name = '', idHex = '', key64 = ''] = splitKeyText(skey.trim(), 5, 'a signer key');
  if (private1 !== 'PRIVATE' || private2 !== 'KEY') throw new KeyFormatError('format', 'a signer key must start with PRIVATE+KEY+');
  const { keyId: id, type, material } = decodeKeyMaterial(name, idHex, key64, 'the signer key');
  const privateKey = ed25519PrivateKeyFromSeed(material);
  const publicKey = ed25519PublicKeyBytes(privateKey);
  const expected = keyId(name, type, publicKey);
  if (id !== expected) throw new KeyFormatError('key-id-mismatch', `the key ID ${idHex} does not match the name and key (expected ${keyIdHex(expected)})`);
  return { name, keyId: id, type, privateKey, publicKey };
}

export function formatSignerKey(name: string, type: number, privateKey: KeyObject): string {
  checkKeyName(name);
  requireEd25519(privateKey, 'the key');
  const publicKey = ed25519PublicKeyBytes(privateKey);
  const material = Buffer.concat([Buffer.from([type]), ed25519Seed(privateKey)]);
  return `PRIVATE+KEY+${name}+${keyIdHex(keyId(name, type, publicKey))}+${material.toString('base64')}`;
}

// ---------------------------------------------------------------------------------------
// Signers and verifiers

/** Verifies signatures by one key (`signature` is without its 4-byte key ID). */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Buffer;
  verify(text: Buffer, signature: Buffer): boolean;
}

/** Signs note texts with one key (the result is without the key ID). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Buffer): Buffer;
}

/** A type 0x01 verifier from its vkey; a cosignature key (0x04) is refused here, see cosignature.ts. */
export function noteVerifier(vkey: string): NoteVerifier {
  const parts = parseVerifierKey(vkey);
  if (parts.type !== SIGNATURE_TYPE_ED25519) {
    throw new KeyFormatError('type', `${parts.name}+${keyIdHex(parts.keyId)} is a ${KNOWN_TYPES.get(parts.type) ?? 'other'} key (type 0x${parts.type.toString(16).padStart(2, '0')}), not a note signing key (0x01)`);
  }
  return ed25519NoteVerifier(parts.name, parts.publicKey);
}

export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkKeyName(name);
  const key = ed25519PublicKeyFromBytes(publicKey);
  const bytes = Buffer.from(publicKey);
  return {
    name,
    keyId: keyId(name, SIGNATURE_TYPE_ED25519, bytes),
    type: SIGNATURE_TYPE_ED25519,
    publicKey: bytes,
    verify: (text, signature) => verifyEd25519(key, text, signature),
  };
}

/** What a key holder class says of its signature type: the type byte, and how its messages name it. */
interface KeyHolderKind {
  /** The signature type of the key (0x01 note signature, 0x04 cosignature/v1). */
  readonly signatureType: number;
  /** What holds it, in `... needs a private key`: "a signer", "a cosigner". */
  readonly holder: string;
  /** What it is, in `... is a type 0xNN key, not ...`: "a note signing key (0x01)". */
  readonly keyKind: string;
}

/** A key holder class: built from a name and an Ed25519 private key (checked by the constructor). */
type KeyHolderClass<H> = KeyHolderKind & (new (name: string, privateKey: KeyObject) => H);

/**
 * An Ed25519 private key under a key name, for one signature type: the one place where a
 * signing key is made from a KeyObject, a PEM or Go's `PRIVATE+KEY+...` text, and written back.
 * Subclasses (Ed25519NoteSigner 0x01, Ed25519Cosigner 0x04) say their type and how they sign;
 * the key ID is SHA-256(name || 0x0A || type || public key)[:4] for both.
 */
export abstract class Ed25519KeyHolder {
  readonly keyId: number;
  readonly publicKey: Buffer;

  /** Refuses a key name that no note could carry, and a key that is not a private Ed25519 key. */
  protected constructor(
    readonly name: string,
    protected readonly privateKey: KeyObject,
    readonly signatureType: number,
    holder: string,
  ) {
    checkKeyName(name);
    if (privateKey.type !== 'private') throw new KeyFormatError('pem', `${holder} needs a private key`);
    requireEd25519(privateKey, 'the key');
    this.publicKey = ed25519PublicKeyBytes(privateKey);
    this.keyId = keyId(name, signatureType, this.publicKey);
  }

  static fromPrivateKey<H>(this: KeyHolderClass<H>, name: string, privateKey: KeyObject): H {
    return new this(name, privateKey);
  }

  static fromPem<H>(this: KeyHolderClass<H>, name: string, pem: string | Buffer): H {
    return new this(name, privateKeyFromPem(pem));
  }

  /** From Go's `PRIVATE+KEY+<name>+<id>+<base64(type || seed)>`; a key of another type is refused. */
  static fromSignerKey<H>(this: KeyHolderClass<H>, skey: string): H {
    const parts = parseSignerKey(skey);
    if (parts.type !== this.signatureType) {
      throw new KeyFormatError('type', `${parts.name} is a type 0x${parts.type.toString(16).padStart(2, '0')} key, not ${this.keyKind}`);
    }
    return new this(parts.name, parts.privateKey);
  }

  toPem(): string {
    return privateKeyToPem(this.privateKey);
  }

  signerKey(): string {
    return formatSignerKey(this.name, this.signatureType, this.privateKey);
  }

  verifierKey(): string {
    return formatVerifierKey(this.name, this.signatureType, this.publicKey);
  }
}

/** An Ed25519 note signer (type 0x01): the log's key. */
export class Ed25519NoteSigner extends Ed25519KeyHolder implements NoteSigner {
  static readonly signatureType = SIGNATURE_TYPE_ED25519;
  static readonly holder = 'a signer';
  static readonly keyKind = 'a note signing key (0x01)';

  constructor(name: string, privateKey: KeyObject) {
    super(name, privateKey, SIGNATURE_TYPE_ED25519, Ed25519NoteSigner.holder);
  }

  sign(text: Buffer): Buffer {
    return signEd25519(this.privateKey, text);
  }

  verifier(): NoteVerifier {
    return ed25519NoteVerifier(this.name, this.publicKey);
  }
}

/**
 * The known keys, by name and key ID. The same key listed twice is one key; two different
 * keys under one name and ID would make a signature ambiguous, so they are refused here.
 */
export class KnownKeys {
  private readonly byId = new Map<string, NoteVerifier>();

  constructor(verifiers: Iterable<NoteVerifier>) {
    for (const verifier of verifiers) {
      const id = `${verifier.name}+${keyIdHex(verifier.keyId)}`;
      const known = this.byId.get(id);
      if (known === undefined) this.byId.set(id, verifier);
      else if (known.type !== verifier.type || !known.publicKey.equals(verifier.publicKey)) {
        throw new KeyFormatError('ambiguous', `ambiguous key ${id}: two different keys share this name and key ID`);
      }
    }
  }

  get(name: string, id: number): NoteVerifier | undefined {
    return this.byId.get(`${name}+${keyIdHex(id)}`);
  }

  describe(): string {
    return this.byId.size === 0 ? 'none' : [...this.byId.keys()].join(', ');
  }
}

// ---------------------------------------------------------------------------------------
// Notes

/** One signature line. `signature` is without its key ID; `line` is 1-based in the whole note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly base64: string;
  readonly signature: Buffer;
  readonly line: number;
}

export interface ParsedNote {
  /** The signed text, final newline included, blank separator line excluded. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface OpenedNote {
  readonly text: string;
  /** Signatures by known keys, each verified; an identical repeated line appears once. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys not known (ignored, as the spec requires, but reported). */
  readonly unknown: readonly NoteSignature[];
}

export function signatureLabel(signature: { name: string; keyId: number }): string {
  return `${signature.name}+${keyIdHex(signature.keyId)}`;
}

/**
 * The format of a signed note, no signature checked: valid UTF-8, no control character
 * but newline, a text ending in newline, a blank line, then 1 to 100 signature lines
 * `— <name> <base64(key ID || signature)>`, each ending in a newline.
 */
export function parseNote(input: string | Uint8Array): ParsedNote {
  const note = noteString(input);
  // The text ends at the LAST blank line (signed-note §Format): it may hold blank lines itself.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('no-signature-block', 'no blank line separates the text from the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  const textLines = lineAndColumn(text, text.length).line - 1;
  const firstSignatureLine = textLines + 2;
  if (block.length === 0) throw new NoteError('no-signature-block', 'no signature line after the blank line', firstSignatureLine);
  if (!block.endsWith('\n')) {
    const last = firstSignatureLine + lineAndColumn(block, block.length).line - 1;
    throw new NoteError('signature-not-terminated', 'the last signature line does not end with a newline', last);
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new NoteError('too-many-signatures', `${lines.length} signature lines; at most ${MAX_NOTE_SIGNATURES} are read`, firstSignatureLine + MAX_NOTE_SIGNATURES);
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, firstSignatureLine + i));
  return { text, signatures };
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new NoteError('signature-line', 'a signature line must start with an em dash (U+2014) and a space', lineNumber);
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new NoteError('signature-line', 'a signature line must be "— <key name> <base64 signature>"', lineNumber);
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    throw new NoteError('key-name', `key name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`, lineNumber);
  }
  const bytes = decodeBase64Strict(base64);
  if (bytes === null || base64.length === 0) {
    throw new NoteError('signature-encoding', `the signature of ${name} is not canonical padded base64`, lineNumber);
  }
  if (bytes.length < 5) {
    throw new NoteError('signature-length', `the signature of ${name} is ${bytes.length} bytes: a 4-byte key ID and a signature are needed`, lineNumber);
  }
  return { name, keyId: bytes.readUInt32BE(0), base64, signature: bytes.subarray(4), line: lineNumber };
}

/**
 * Parses a note and checks its signatures against the known keys (signed-note
 * §Signatures): signatures by unknown keys are ignored but reported; every signature by a
 * known key must verify, or the note is refused; at least one must, or it is refused.
 */
export function openNote(input: string | Uint8Array, known: KnownKeys | Iterable<NoteVerifier>): OpenedNote {
  const keys = known instanceof KnownKeys ? known : new KnownKeys(known);
  const parsed = parseNote(input);
  const text = Buffer.from(parsed.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of parsed.signatures) {
    const line = `${signature.name} ${signature.base64}`;
    if (seen.has(line)) continue;
    seen.add(line);
    const verifier = keys.get(signature.name, signature.keyId);
    if (verifier === undefined) {
      unknown.push(signature);
      continue;
    }
    if (!verifier.verify(text, signature.signature)) {
      throw new NoteError('invalid-signature', `the signature by ${signatureLabel(signature)} does not verify`, signature.line);
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    const found = unknown.map((s) => `${signatureLabel(s)} (line ${s.line})`).join(', ');
    throw new NoteError('no-known-signature', `no signature by a known key (known: ${keys.describe()}; signed by: ${found})`, undefined, parsed);
  }
  return { text: parsed.text, verified, unknown };
}

/**
 * Signs a text. Existing signatures are kept first, except one by a key that signs again
 * (Go's note.Sign does the same); new signatures follow, in the order of `signers`.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  checkNoteText(text);
  const body = Buffer.from(text, 'utf8');
  const signing = new Set<string>();
  const added: string[] = [];
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) throw new NoteError('key-name', `signer name ${JSON.stringify(signer.name)} must be non-empty, without spaces or '+'`);
    signing.add(signatureLabel(signer));
    const id = Buffer.alloc(4);
    id.writeUInt32BE(signer.keyId);
    added.push(`${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signer.sign(body)]).toString('base64')}\n`);
  }
  const kept: string[] = [];
  for (const signature of existing) {
    if (!isValidKeyName(signature.name)) throw new NoteError('key-name', `existing signature name ${JSON.stringify(signature.name)} is not a valid key name`);
    if (signing.has(signatureLabel(signature))) continue;
    const bytes = decodeBase64Strict(signature.base64);
    if (bytes === null || bytes.length < 5 || bytes.readUInt32BE(0) !== signature.keyId) {
      throw new NoteError('signature-encoding', `existing signature by ${signatureLabel(signature)} does not carry its key ID`);
    }
    kept.push(`${SIGNATURE_PREFIX}${signature.name} ${signature.base64}\n`);
  }
  const lines = [...kept, ...added];
  if (lines.length === 0) throw new NoteError('no-signer', 'a note needs at least one signature');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError('too-many-signatures', `${lines.length} signatures; at most ${MAX_NOTE_SIGNATURES}`);
  return `${text}\n${lines.join('')}`;
}
