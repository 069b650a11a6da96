import { Query } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings, TrustedInput } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import type { Progressing } from '../progress';

export interface AuditRequest {
  readonly period: Period;
  readonly knownAt?: string;
  readonly now: string;
  /** A published report to check: the id of a publication sealed in the log, or the document itself (the CLI reads a file). */
  readonly published?: string | ReportDocument;
  /** Checkpoints the auditor holds (`--trusted`), checked against the log (docs/signed-checkpoints.md). */
  readonly trusted?: TrustedCheckpoints;
}

export interface TrustedCheckpoints {
  readonly checkpoints: readonly TrustedInput[];
  /** The ledger's verifier key as the auditor got it; without it, the ledger's own key file (LEDGER_SIGNING_KEY). */
  readonly logVkey?: string;
  /** Witnesses' cosignature keys (type 0x04, or 0x01 of the same key): their cosignatures are checked too. */
  readonly witnessVkeys?: readonly string[];
}

/**
 * The audit of a period (docs/audit.md), as a stream: progress through its phases, then the
 * findings. A bad request (an unknown publication) is refused when the query is executed,
 * before anything runs; the audit itself runs when the stream is subscribed to.
 */
export class AuditQuery extends Query<Observable<Progressing<AuditFindings>>> {
  constructor(readonly request: AuditRequest) {
    super();
  }
}
