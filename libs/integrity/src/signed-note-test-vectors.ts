/**
 * Published signed-note, checkpoint and cosignature vectors, copied as published (the em
 * dash is written U+2014 in the source files too). Nothing here is computed by this
 * repository. Provenance (repository, file, commit of the snapshot read):
 *
 * - GO: golang/mod `sumdb/note/note_test.go` and the package comment of `sumdb/note/note.go`,
 *   commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db.
 * - C2SP: C2SP/C2SP `signed-note.md`, `tlog-checkpoint.md`, `tlog-cosignature.md`,
 *   commit 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9.
 * - FORMATS: transparency-dev/formats `note/note_cosigv1_test.go` and
 *   `note/note_verifier_test.go`, commit 0b850f1a7b4a5b70deeacac6535e4b8023809d21.
 * - WITNESS: transparency-dev/witness `witness/witness_test.go` and
 *   `internal/client/sumdb_test.go`, commit 54dbcdd14f829a301b24b59f7c547c7dceebafa8.
 */

// --- GO (note_test.go: TestNewVerifier, TestNewSigner, TestSign, TestVerifierList, TestOpen)

export const GO_PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
export const GO_PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
export const GO_ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
/** TestNewVerifier: a wrong-length key with an adjusted key hash, and an unknown algorithm with an adjusted key hash. */
export const GO_BAD_VKEYS: readonly string[] = [
  'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
  'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
];
export const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
export const GO_PETER_SIG_LINE = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
export const GO_ENOCH_SIG_LINE = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
export const GO_PETER_SIG_B64 = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
export const GO_ENOCH_SIG_B64 = 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';
/** TestSign's `want`: GO_TEXT signed by GO_PETER_SKEY. */
export const GO_SIGNED_NOTE = `${GO_TEXT}\n${GO_PETER_SIG_LINE}`;

// --- C2SP signed-note.md §Verifier keys, Example

export const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
export const C2SP_NOTE =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

// --- C2SP tlog-checkpoint.md (and the same checkpoint in tlog-cosignature.md, with a cosignature)

export const C2SP_CHECKPOINT =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
export const C2SP_COSIGNED_CHECKPOINT =
  C2SP_CHECKPOINT +
  '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
/** tlog-cosignature.md §Ed25519 signed message: the example message, as printed. */
export const C2SP_COSIGNATURE_MESSAGE = 'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

// --- FORMATS (note_cosigv1_test.go: TestCoSigV1NewVerifier, TestCoSigV1Timestamp)

/** "works: convert from algEd25519" (a type 0x01 vkey). */
export const FORMATS_ED25519_VKEY = 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6';
/** "works: native algEd25519CosignatureV1 verifier" (a type 0x04 vkey of a public witness). */
export const FORMATS_COSIGNATURE_VKEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
/** note_verifier_test.go: an ECDSA key's material, used with wrong key IDs. */
export const FORMATS_SIGSTORE_KEY_MATERIAL = 'AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=';
export const FORMATS_BAD_COSIGNATURE_VKEYS: readonly string[] = [
  'bananas.sigstore.dev+12344556', // wrong number of parts
  'rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!', // invalid base64
  'rekor.sigstore.dev+12345678+AwEB', // invalid algo
  `rekor.sigstore.dev+NOT_A_NUMBER+${FORMATS_SIGSTORE_KEY_MATERIAL}`, // invalid keyhash
  `rekor.sigstore.dev+00000000+${FORMATS_SIGSTORE_KEY_MATERIAL}`, // incorrect keyhash
];
export const FORMATS_COSIGNATURE_B64 = 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==';
export const FORMATS_COSIGNATURE_TIME = 1727964367n;
/** "wrong type of signature": a plain Ed25519 signature, no timestamp. */
export const FORMATS_NOT_A_COSIGNATURE_B64 = 'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=';

// --- WITNESS (witness_test.go): a log key pair, two signed checkpoints and the consistency proof between them

export const WITNESS_MONKEYS_VKEY = 'monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT';
export const WITNESS_MONKEYS_SKEY = 'PRIVATE+KEY+monkeys+db4d9f7e+ATWIAF3yVBG+Hv1rZFQoNt/BaURkLPtOFMAM2HrEeIr6';
export const WITNESS_BANANAS_VKEY = 'bananas+cf639f13+AaPjhFnPCQnid/Ql32KWhmh+uk72FVRfK+2DLmO3BI3M';
export const WITNESS_WITNESS_VKEY = 'witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN';
export const WITNESS_WITNESS_SKEY = 'PRIVATE+KEY+witness+f13a86db+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA';
export const WITNESS_MONKEYS_5 =
  'monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n\u2014 monkeys 202fftzGl3LVoqjXfwCFZZXs8I+5G22+Ek2K0AOyBuSJ/8/CZawNF+6fNlTKOCd622pbzJNkkJFWuw9DbicZCkEx9AY=\n';
export const WITNESS_MONKEYS_8 =
  'monkeys\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n\n\u2014 monkeys 202ffoUEboiQYpHzICeaFmoy3RNviHTpAxYrq/eO4QQVQMvu9UebKBMX2MJC76NLthZaKsnKbCA8GxrjePZhvDCH7Ag=\n';
/** The consistency proof from size 5 to size 8 of the checkpoints above (hex). */
export const WITNESS_CONSISTENCY_5_8_HEX: readonly string[] = [
  'b9e1d62618f7fee8034e4c5010f727ab24d8e4705cb296c374bf2025a87a10d2',
  'aac66cd7a79ce4012d80762fe8eec3a77f22d1ca4145c3f4cee022e7efcd599d',
  '89d0f753f66a290c483b39cd5e9eafb12021293395fad3d4a2ad053cfbcfdc9e',
  '29e40bb79c966f4c6fe96aff6f30acfce5f3e8d84c02215175d6e018a5dee833',
];

/** internal/client/sumdb_test.go: a checkpoint of the Go checksum database, signed by its production key. */
export const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
export const SUMDB_CHECKPOINT =
  'go.sum database tree\n1514086\nkn9DgqDhXzoZMM8828SQsbuovr/WRn7QfFd5Qe1rpwA=\n\n' +
  '\u2014 sum.golang.org Az3grunuggF5mKymPJeK/l9Pq71lOg/rAVkQVCzGkWRJcnS3ZFunzveHr9PAH8LFsuhpcCWzGDNrn9FFDyXm/66tBg8=\n';
