import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  decodeBase64Strict,
  Ed25519NoteSigner,
  ed25519PublicKeyBytes,
  formatVerifierKey,
  KeyFormatError,
  KnownKeys,
  noteVerifier,
  NoteError,
  openNote,
  parseNote,
  parseVerifierKey,
  privateKeyFromPem,
  publicKeyFromPem,
  publicKeyToPem,
  signNote,
  type NoteRule,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note';
import {
  C2SP_NOTE,
  C2SP_VKEY,
  GO_BAD_VKEYS,
  GO_ENOCH_SIG_B64,
  GO_ENOCH_SIG_LINE,
  GO_ENOCH_VKEY,
  GO_PETER_SIG_B64,
  GO_PETER_SIG_LINE,
  GO_PETER_SKEY,
  GO_PETER_VKEY,
  GO_SIGNED_NOTE,
  GO_TEXT,
} from './signed-note-test-vectors';

/** A fresh Ed25519 key: the library itself draws no randomness. */
const newKey = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

/** The NoteError a call throws (fails the test if it throws nothing or something else). */
function noteErrorOf(call: () => unknown): NoteError {
  try {
    call();
  } catch (error) {
    if (error instanceof NoteError) return error;
    throw error;
  }
  throw new Error('expected a NoteError, nothing was thrown');
}

function keyErrorOf(call: () => unknown): KeyFormatError {
  try {
    call();
  } catch (error) {
    if (error instanceof KeyFormatError) return error;
    throw error;
  }
  throw new Error('expected a KeyFormatError, nothing was thrown');
}

/** Go's `s[:i] + insert + s[i:]` on the UTF-8 bytes (the em dash is 3 bytes, 1 UTF-16 unit). */
function spliceBytes(text: string, at: number, insert: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(insert, 'utf8'), bytes.subarray(at)]).toString('utf8');
}

const peter = noteVerifier(GO_PETER_VKEY);
const enoch = noteVerifier(GO_ENOCH_VKEY);
const peterSignature = { name: 'PeterNeumann', keyId: 0xc74f20a3, base64: GO_PETER_SIG_B64 };
const enochSignature = { name: 'EnochRoot', keyId: 0xaf0cfe78, base64: GO_ENOCH_SIG_B64 };
const named = ({ name, keyId, base64 }: { name: string; keyId: number; base64: string }) => ({ name, keyId, base64 });

describe('golang.org/x/mod/sumdb/note vectors (note_test.go)', () => {
  it('TestNewVerifier: accepts the published vkey, and refuses every substring, every byte + 1 and the two mangled keys', () => {
    expect(peter.name).toBe('PeterNeumann');
    expect(peter.keyId).toBe(0xc74f20a3);
    const bytes = Buffer.from(GO_PETER_VKEY);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i + 1; j <= bytes.length; j++) {
        if (i === 0 && j === bytes.length) continue;
        expect(() => noteVerifier(bytes.subarray(i, j).toString())).toThrow(KeyFormatError);
      }
    }
    for (let i = 0; i < bytes.length; i++) {
      const mangled = Buffer.from(bytes);
      mangled[i] = (mangled[i] as number) + 1;
      expect(() => noteVerifier(mangled.toString())).toThrow(KeyFormatError);
    }
    // Go reaches its length check; "BADKEY==" has non-zero unused bits, refused here first.
    expect(keyErrorOf(() => noteVerifier(GO_BAD_VKEYS[0] as string)).rule).toBe('encoding');
    expect(keyErrorOf(() => noteVerifier(GO_BAD_VKEYS[1] as string)).rule).toBe('type');
  });

  it('TestNewSigner: accepts the published signer key, and refuses every substring and every byte + 1', () => {
    const signer = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    // The signer key and the vkey are two halves of one key: each is derived back byte for byte.
    expect(signer.verifierKey()).toBe(GO_PETER_VKEY);
    expect(signer.signerKey()).toBe(GO_PETER_SKEY);
    const bytes = Buffer.from(GO_PETER_SKEY);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i + 1; j <= bytes.length; j++) {
        if (i === 0 && j === bytes.length) continue;
        expect(() => Ed25519NoteSigner.fromSignerKey(bytes.subarray(i, j).toString())).toThrow(KeyFormatError);
      }
    }
    for (let i = 0; i < bytes.length; i++) {
      const mangled = Buffer.from(bytes);
      mangled[i] = (mangled[i] as number) + 1;
      expect(() => Ed25519NoteSigner.fromSignerKey(mangled.toString())).toThrow(KeyFormatError);
    }
  });

  it('TestSign: signs the published text into the published note, byte for byte', () => {
    const signer = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_SIGNED_NOTE);
    expect(Buffer.from(signNote(GO_TEXT, [signer]), 'utf8').equals(Buffer.from(GO_SIGNED_NOTE, 'utf8'))).toBe(true);
  });

  it('TestSign: an existing signature by the signing key is replaced by the new one', () => {
    const signer = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY);
    const stale = { name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADSIGN=', signature: Buffer.alloc(0), line: 0 };
    expect(signNote(GO_TEXT, [signer], [stale])).toBe(GO_SIGNED_NOTE);
  });

  it('TestSign: refuses a text without final newline, a bad existing name, an existing signature without its key ID, a bad signer name', () => {
    const signer = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY);
    expect(noteErrorOf(() => signNote('abc', [signer])).rule).toBe('text-not-terminated');
    const badName = { name: 'a+b', keyId: 0, base64: 'ABCD', signature: Buffer.alloc(0), line: 0 };
    expect(noteErrorOf(() => signNote(GO_TEXT, [], [badName])).rule).toBe('key-name');
    const badHash = { name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADHASH=', signature: Buffer.alloc(0), line: 0 };
    expect(noteErrorOf(() => signNote(GO_TEXT, [], [badHash])).rule).toBe('signature-encoding');
    const badSigner: NoteSigner = { name: 'bad name', keyId: signer.keyId, sign: (text) => signer.sign(text) };
    expect(noteErrorOf(() => signNote(GO_TEXT, [badSigner])).rule).toBe('key-name');
  });

  it('TestSign: a failing signer fails the signing, its error unchanged', () => {
    const surprise = new Error('surprise!');
    const failing: NoteSigner = {
      name: 'PeterNeumann',
      keyId: 0xc74f20a3,
      sign: () => {
        throw surprise;
      },
    };
    expect(() => signNote(GO_TEXT, [failing])).toThrow(surprise);
  });

  it('TestVerifierList: finds a key by name and ID only; an unknown name or ID is not found', () => {
    const keys = new KnownKeys([peter, enoch, enoch]);
    expect(keys.get('PeterNeumann', 0xc74f20a3)).toBe(peter);
    expect(keys.get('PeterNeumann', 0xc74f20a4)).toBeUndefined();
    expect(keys.get('PeterNeuman', 0xc74f20a3)).toBeUndefined();
    // Go answers "ambiguous key" for a key listed twice; the same key listed twice is one key here...
    expect(keys.get('EnochRoot', 0xaf0cfe78)).toBe(enoch);
  });

  it('...while two different keys under one name and key ID are refused when the set is built', () => {
    const impostor: NoteVerifier = { ...enoch, publicKey: Buffer.alloc(32, 7), verify: () => true };
    const error = keyErrorOf(() => new KnownKeys([enoch, impostor]));
    expect(error.rule).toBe('ambiguous');
    expect(error.message).toContain('ambiguous key EnochRoot+af0cfe78');
  });

  it('TestOpen: one signature verified, one by an unknown key reported', () => {
    const opened = openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE}${GO_ENOCH_SIG_LINE}`, [peter]);
    expect(opened.text).toBe(GO_TEXT);
    expect(opened.verified.map(named)).toEqual([peterSignature]);
    expect(opened.unknown.map(named)).toEqual([enochSignature]);
  });

  it('TestOpen (and the note.go example of a doubly-signed note): both verified', () => {
    const opened = openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE}${GO_ENOCH_SIG_LINE}`, [peter, enoch]);
    expect(opened.verified.map(named)).toEqual([peterSignature, enochSignature]);
    expect(opened.unknown).toEqual([]);
  });

  it('TestOpen: no known key is refused, and the error carries the note and who signed it', () => {
    const error = noteErrorOf(() => openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE}${GO_ENOCH_SIG_LINE}`, []));
    expect(error.rule).toBe('no-known-signature');
    expect(error.note?.text).toBe(GO_TEXT);
    expect(error.note?.signatures.map(named)).toEqual([peterSignature, enochSignature]);
    expect(error.message).toContain('PeterNeumann+c74f20a3 (line 4)');
    expect(error.message).toContain('EnochRoot+af0cfe78 (line 5)');
  });

  it('TestOpen: a key listed twice (unused, or used) does not stop the note from opening', () => {
    expect(openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE}`, [enoch, peter, enoch]).verified.map(named)).toEqual([peterSignature]);
    expect(openNote(`${GO_TEXT}\n${GO_ENOCH_SIG_LINE}`, [enoch, peter, enoch]).verified.map(named)).toEqual([enochSignature]);
  });

  it('TestOpen: 101 signatures are refused, whether their key is known or not', () => {
    const note = `${GO_TEXT}\n${GO_PETER_SIG_LINE.repeat(101)}`;
    expect(noteErrorOf(() => openNote(note, [peter])).rule).toBe('too-many-signatures');
    expect(noteErrorOf(() => openNote(note, [])).rule).toBe('too-many-signatures');
    // 100 are read (and identical lines count once).
    expect(openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE.repeat(100)}`, [peter]).verified).toHaveLength(1);
  });

  it('TestOpen: an invalid signature by a known key refuses the note', () => {
    const error = noteErrorOf(() => openNote(`${GO_TEXT}\n${spliceBytes(GO_PETER_SIG_LINE, 60, 'ABCD')}`, [peter]));
    expect(error.rule).toBe('invalid-signature');
    expect(error.message).toBe('line 4: the signature by PeterNeumann+c74f20a3 does not verify');
  });

  it('TestOpen: repeated identical lines count once; distinct unknown signatures are each reported', () => {
    const enochABCD = spliceBytes(GO_ENOCH_SIG_LINE, 60, 'ABCD');
    const opened = openNote(`${GO_TEXT}\n${GO_PETER_SIG_LINE}${GO_PETER_SIG_LINE}${GO_ENOCH_SIG_LINE}${GO_ENOCH_SIG_LINE}${enochABCD}`, [peter]);
    expect(opened.verified.map(named)).toEqual([peterSignature]);
    expect(opened.unknown.map(named)).toEqual([
      enochSignature,
      { name: 'EnochRoot', keyId: 0xaf0cfe78, base64: `rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=` },
    ]);
  });

  it('TestOpen: the malformed messages are refused, each by the rule it breaks', () => {
    const peterBytes = Buffer.from(GO_PETER_SIG_LINE, 'utf8');
    const cases: Array<[string | Buffer, NoteRule]> = [
      [GO_TEXT, 'no-signature-block'],
      [`${GO_TEXT}\n`, 'no-signature-block'],
      [`${GO_TEXT}\n${GO_PETER_SIG_LINE.slice(0, -1)}`, 'signature-not-terminated'],
      [`\u0001${GO_TEXT}\n${GO_PETER_SIG_LINE}`, 'control-character'],
      [Buffer.concat([Buffer.from([0xff]), Buffer.from(`${GO_TEXT}\n`), peterBytes]), 'not-utf8'],
      [`${GO_TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`, 'signature-not-terminated'],
      [`${GO_TEXT}\n${GO_PETER_SIG_LINE}Unexpected line.\n`, 'signature-line'],
    ];
    for (const [note, rule] of cases) expect(noteErrorOf(() => openNote(note, [peter])).rule).toBe(rule);
  });

  // TestOpen's last cases hand Open a Verifiers that returns the wrong verifier; KnownKeys
  // looks keys up by name and key ID itself, so there is no such interface to get wrong.
});

describe('C2SP signed-note vector (signed-note.md, Verifier keys, Example)', () => {
  it('the example verifier key verifies the example note', () => {
    const verifier = noteVerifier(C2SP_VKEY);
    const opened = openNote(C2SP_NOTE, [verifier]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verified.map((s) => `${s.name}+${s.keyId.toString(16)}`)).toEqual(['example.com/foo+530d903a']);
  });

  it('the example verifier key is rebuilt byte for byte from its name and public key', () => {
    const parts = parseVerifierKey(C2SP_VKEY);
    expect(formatVerifierKey(parts.name, parts.type, parts.publicKey)).toBe(C2SP_VKEY);
  });
});

describe('signed notes: every refusal names its rule and line', () => {
  const signer = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY);
  const sigLine = GO_PETER_SIG_LINE;

  it.each<[string, string | Buffer, NoteRule, number | undefined]>([
    ['bytes that are not UTF-8, on line 2', Buffer.concat([Buffer.from('a\n'), Buffer.from([0xc3, 0x28]), Buffer.from(`\n\n${sigLine}`)]), 'not-utf8', 2],
    ['an overlong UTF-8 form', Buffer.concat([Buffer.from([0xc0, 0xaf]), Buffer.from(`\n\n${sigLine}`)]), 'not-utf8', 1],
    ['a UTF-8 encoded surrogate', Buffer.concat([Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`\n\n${sigLine}`)]), 'not-utf8', 1],
    ['a lone surrogate in a string', `a\n\ud800\n\n${sigLine}`, 'not-utf8', 2],
    ['a tab in the text', `a\tb\n\n${sigLine}`, 'control-character', 1],
    ['a carriage return before a newline', `a\r\n\n${sigLine}`, 'control-character', 1],
    ['a NUL in a signature line', `a\n\n${sigLine.slice(0, -1)}\u0000\n`, 'control-character', 3],
    ['no blank line', `a\n${sigLine}`, 'no-signature-block', undefined],
    ['a blank line and nothing after it', 'a\n\n', 'no-signature-block', 3],
    ['a last signature line without newline', `a\n\n${sigLine}${sigLine.slice(0, -1)}`, 'signature-not-terminated', 4],
    ['a hyphen for the em dash', `a\n\n- PeterNeumann ${GO_PETER_SIG_B64}\n`, 'signature-line', 3],
    ['an en dash for the em dash', `a\n\n\u2013 PeterNeumann ${GO_PETER_SIG_B64}\n`, 'signature-line', 3],
    ['no space after the dash', `a\n\n\u2014PeterNeumann ${GO_PETER_SIG_B64}\n`, 'signature-line', 3],
    ['no signature after the name', 'a\n\n\u2014 PeterNeumann\n', 'signature-line', 3],
    ['an empty key name', `a\n\n\u2014  ${GO_PETER_SIG_B64}\n`, 'key-name', 3],
    ['a + in the key name', `a\n\n\u2014 Peter+Neumann ${GO_PETER_SIG_B64}\n`, 'key-name', 3],
    ['a no-break space in the key name', `a\n\n\u2014 Peter\u00a0Neumann ${GO_PETER_SIG_B64}\n`, 'key-name', 3],
    ['an empty signature', 'a\n\n\u2014 PeterNeumann \n', 'signature-encoding', 3],
    ['a signature that is not base64', 'a\n\n\u2014 PeterNeumann x08go!ZJ\n', 'signature-encoding', 3],
    ['unpadded base64', `a\n\n\u2014 PeterNeumann ${GO_PETER_SIG_B64.slice(0, -1)}\n`, 'signature-encoding', 3],
    ['base64 with non-zero unused bits', `a\n\n\u2014 PeterNeumann ${GO_PETER_SIG_B64.slice(0, -2)}N=\n`, 'signature-encoding', 3],
    ['a space after the signature', `a\n\n\u2014 PeterNeumann ${GO_PETER_SIG_B64} \n`, 'signature-encoding', 3],
    ['a signature of 4 bytes (a key ID, no signature)', 'a\n\n\u2014 PeterNeumann x08gow==\n', 'signature-length', 3],
    ['101 signature lines (named at the 101st)', `a\n\n${sigLine.repeat(101)}`, 'too-many-signatures', 103],
    ['a second, corrupt signature by a known key (Go skips it unverified)', `${GO_TEXT}\n${sigLine}\u2014 PeterNeumann ${Buffer.concat([Buffer.from('c74f20a3', 'hex'), Buffer.alloc(64)]).toString('base64')}\n`, 'invalid-signature', 5],
  ])('refuses %s', (_what, note, rule, line) => {
    const error = noteErrorOf(() => openNote(note, [peter]));
    expect(error.rule).toBe(rule);
    expect(error.line).toBe(line);
    if (line !== undefined) expect(error.message.startsWith(`line ${line}: `)).toBe(true);
  });

  it('names the column of a control character', () => {
    expect(noteErrorOf(() => openNote(`ok\nab\u001bc\n\n${sigLine}`, [peter])).message).toBe(
      'line 2: control character U+001B at column 3: only newline is allowed',
    );
  });

  it('refuses to sign what it could not open again: a text with a control character, a lone surrogate, or no signer', () => {
    expect(noteErrorOf(() => signNote('a\tb\n', [signer])).rule).toBe('control-character');
    expect(noteErrorOf(() => signNote('\udc00\n', [signer])).rule).toBe('not-utf8');
    expect(noteErrorOf(() => signNote('a\n', [])).rule).toBe('no-signer');
  });

  it('ignores a signature whose name or key ID (not both) is that of a known key', () => {
    const idBytes = decodeBase64Strict(GO_PETER_SIG_B64) as Buffer;
    const otherId = Buffer.from(idBytes);
    otherId.writeUInt32BE(0xc74f20a4, 0);
    const note = `${GO_TEXT}\n${GO_ENOCH_SIG_LINE}\u2014 PeterNeumann ${otherId.toString('base64')}\n\u2014 CarmenSandiego ${GO_PETER_SIG_B64}\n`;
    const opened = openNote(note, [peter, enoch]);
    expect(opened.verified.map((s) => s.name)).toEqual(['EnochRoot']);
    expect(opened.unknown.map((s) => `${s.name}+${s.keyId.toString(16)}`)).toEqual(['PeterNeumann+c74f20a4', 'CarmenSandiego+c74f20a3']);
  });

  it('accepts what the format allows: blank lines inside the text, DEL, non-ASCII text and names', () => {
    const text = 'première ligne\n\nsecond paragraph \u007f \u{1f600}\n';
    const signerUnicode = Ed25519NoteSigner.fromPrivateKey('registre.exemple/journal-\u00e9t\u00e9', newKey());
    const note = signNote(text, [signerUnicode]);
    const opened = openNote(note, [signerUnicode.verifier()]);
    expect(opened.text).toBe(text);
    expect(parseNote(note).signatures[0]?.line).toBe(5);
  });

  it('refuses a vkey whose key ID is upper-case hex (the spec writes it lower-case)', () => {
    const [name, id, key] = GO_PETER_VKEY.split('+');
    expect(keyErrorOf(() => noteVerifier(`${name}+${(id as string).toUpperCase()}+${key}`)).rule).toBe('key-id');
  });
});

describe('Ed25519 keys as PEM (the ledger key file)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signed-note-pem-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a signer written as PEM and read back is the same key: same vkey, same signatures', () => {
    const signer = Ed25519NoteSigner.fromPrivateKey('ledger.example/impact-ledger/main', newKey());
    const again = Ed25519NoteSigner.fromPem(signer.name, signer.toPem());
    expect(again.verifierKey()).toBe(signer.verifierKey());
    expect(signNote('hello\n', [again])).toBe(signNote('hello\n', [signer]));
  });

  it('the Go vector key, through PEM, gives back its Go signer key and its signatures', () => {
    const pem = Ed25519NoteSigner.fromSignerKey(GO_PETER_SKEY).toPem();
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const signer = Ed25519NoteSigner.fromPem('PeterNeumann', pem);
    expect(signer.signerKey()).toBe(GO_PETER_SKEY);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_SIGNED_NOTE);
  });

  it('reads a key made by OpenSSL, and OpenSSL reads the key written here (same public key)', () => {
    const opensslKey = join(dir, 'openssl.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', opensslKey]);
    const fromOpenssl = Ed25519NoteSigner.fromPem('a.example/log', readFileSync(opensslKey));
    const opensslPublic = execFileSync('openssl', ['pkey', '-in', opensslKey, '-pubout']).toString();
    expect(ed25519PublicKeyBytes(publicKeyFromPem(opensslPublic)).equals(fromOpenssl.publicKey)).toBe(true);

    const ours = Ed25519NoteSigner.fromPrivateKey('b.example/log', newKey());
    const ourKey = join(dir, 'ours.pem');
    writeFileSync(ourKey, ours.toPem(), { mode: 0o600 });
    const theirView = execFileSync('openssl', ['pkey', '-in', ourKey, '-pubout']).toString();
    expect(ed25519PublicKeyBytes(publicKeyFromPem(theirView)).equals(ours.publicKey)).toBe(true);
  });

  it('public key PEM round trip', () => {
    const signer = Ed25519NoteSigner.fromPrivateKey('c.example/log', newKey());
    const key = publicKeyFromPem(publicKeyToPem(privateKeyFromPem(signer.toPem())));
    expect(ed25519PublicKeyBytes(key).equals(signer.publicKey)).toBe(true);
  });

  it('refuses, by name, a PEM that is not an unencrypted Ed25519 private key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const encrypted = ed.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    const cases: Array<[string, string]> = [
      [ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'is an EC key, not Ed25519'],
      [encrypted, 'is encrypted'],
      [ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'not a PEM private key'],
      ['not a key at all', 'not a PEM private key'],
    ];
    for (const [pem, says] of cases) {
      const error = keyErrorOf(() => privateKeyFromPem(pem));
      expect(error.rule).toBe('pem');
      expect(error.message).toContain(says);
    }
  });

  it('refuses a private key where a public key PEM is expected, and a non-Ed25519 public key', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(keyErrorOf(() => publicKeyFromPem(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }))).message).toContain('holds a private key');
    const ec: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(keyErrorOf(() => publicKeyFromPem(ec.export({ type: 'spki', format: 'pem' }))).message).toContain('EC key, not Ed25519');
  });
});

describe('signed notes: properties', () => {
  const signer = Ed25519NoteSigner.fromPrivateKey('prop.example/log', newKey());
  const verifier = signer.verifier();
  // Lines of any well-formed text but control characters (newline separates lines).
  const line = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'é', ' ', '\u2014', '+', '=', '\u007f', '\u{1f600}'), fc.string({ unit: 'grapheme', maxLength: 1 })) }).filter((s) => !/[\u0000-\u001f]/.test(s));
  const text = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => `${lines.join('\n')}\n`);

  it('a signed text opens to the same text, verified', () => {
    fc.assert(
      fc.property(text, (t) => {
        const opened = openNote(signNote(t, [signer]), [verifier]);
        return opened.text === t && opened.verified.length === 1 && opened.unknown.length === 0;
      }),
    );
  });

  it('any byte changed anywhere in a signed note (text, blank line, signature line) is refused', () => {
    const notes = [GO_SIGNED_NOTE, signNote('origin.example/log\n42\nroot\n', [signer])];
    const keys = [peter, verifier];
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, at, mask) => {
        const bytes = Buffer.from(notes[which] as string, 'utf8');
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ mask;
        expect(() => openNote(bytes, keys)).toThrow(NoteError);
      }),
      { numRuns: 500 },
    );
  });
});
