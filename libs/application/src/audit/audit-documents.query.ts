import { Query } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings, AuditHttpRequest } from '@ledger/audit';
import type { Progressing } from '../progress';
import type { AuditRequest } from './audit.query';

/** How the audit was asked for: `ledger audit`'s command line, or the API's request. */
export type AuditInvocation = { readonly commandLine: readonly string[] } | { readonly request: AuditHttpRequest };

/** An audit fit to sign (issue 9 item 5): the findings with their metadata, as JSON and Markdown. */
export interface AuditDocuments {
  /** The findings, `metadata` first. */
  readonly findings: AuditFindings;
  /** The JSON findings, exactly as written (`ledger audit`) or served (`GET /audits/{jobId}/findings.json`). */
  readonly json: string;
  /** The SHA-256 of `json`, hex: the Markdown prints it. */
  readonly sha256: string;
  /** The Markdown report, which names the JSON file and prints its SHA-256. */
  readonly markdown: string;
}

/**
 * The audit (AuditQuery) with its metadata: the time (`request.now`), the ledger's version and
 * commit, how it was asked for, the ledger's public key; then the JSON and the Markdown. The
 * one path `ledger audit` and `POST /audits` both take, so their documents cannot drift.
 * Refusals as AuditQuery's.
 */
export class AuditDocumentsQuery extends Query<Observable<Progressing<AuditDocuments>>> {
  constructor(
    readonly request: AuditRequest,
    readonly invocation: AuditInvocation,
    /** The JSON file's name as the Markdown names it. */
    readonly findingsFile: string,
  ) {
    super();
  }
}
