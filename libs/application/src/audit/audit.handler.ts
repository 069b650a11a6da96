import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings } from '@ledger/audit';
import { auditPeriod } from '@ledger/audit';
import { sealedPublications } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import type { Progressing } from '../progress';
import { progressing } from '../progress';
import { AuditQuery } from './audit.query';
import { UnknownPublicationError } from './unknown-publication.error';

/**
 * Not queued with the read models: an audit reads them, never writes them. A publication id
 * no seal names: UnknownPublicationError, at once; bad days or moments: RangeError, from the stream.
 */
@QueryHandler(AuditQuery)
export class AuditHandler implements IQueryHandler<AuditQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
  ) {}

  async execute(query: AuditQuery): Promise<Observable<Progressing<AuditFindings>>> {
    const { published, ...request } = query.request;
    const report = typeof published === 'string' ? await this.sealed(published) : published;
    return progressing((onProgress) => auditPeriod(this.store, this.states, this.sources, { ...request, ...(report ? { published: report } : {}), onProgress }));
  }

  private async sealed(publicationId: string): Promise<ReportDocument> {
    const sealed = (await sealedPublications(this.store)).find((p) => p.publicationId === publicationId);
    if (!sealed) throw new UnknownPublicationError(publicationId);
    return sealed.report;
  }
}
