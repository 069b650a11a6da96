import { Query } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import type { Progressing } from '../progress';

export interface AuditRequest {
  readonly period: Period;
  readonly knownAt?: string;
  readonly now: string;
  /** A published report to check: the id of a publication sealed in the log, or the document itself (the CLI reads a file). */
  readonly published?: string | ReportDocument;
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
