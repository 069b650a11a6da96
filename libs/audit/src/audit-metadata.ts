import { createHash } from 'node:crypto';

/**
 * Who ran an audit, with what, and how (issue 9 item 5): what a reader needs to rerun it and
 * to tell one audit's files from another's. Given by the shell, which reads the clock, the
 * command line and the build; the audit itself never does.
 */
export interface AuditMetadata {
  /** When the audit ran (the shell's clock), RFC 3339 UTC. */
  readonly auditedAt: string;
  /** The ledger that ran it: its package version and git commit (null outside a git checkout). */
  readonly ledger: { readonly version: string; readonly commit: string | null };
  /** `ledger audit`: the exact command line, one argument an element, as typed after `ledger`. */
  readonly commandLine?: readonly string[];
  /** `POST /audits`: the exact request, in place of a command line, and the API key that made it (its id and name, never its secret). */
  readonly request?: AuditHttpRequest;
  /** The ledger's verifier key (`ledger public-key`), or null when the ledger has no signing key. */
  readonly publicKey: string | null;
}

/** An audit asked of the API: what was sent, as received. */
export interface AuditHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly by: { readonly keyId: string; readonly name: string; readonly role: string };
}

/** The SHA-256 of the JSON findings file, as written: the Markdown prints it, tying the two files together. */
export function findingsDigest(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/** A command line as one shell line a reader can paste: each argument quoted when it needs to be. */
export function shellLine(args: readonly string[]): string {
  return args.map((arg) => (/^[A-Za-z0-9._\/:=@+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(' ');
}
