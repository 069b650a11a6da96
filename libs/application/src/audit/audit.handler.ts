import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings } from '../../../audit/src/audit';
import { auditPeriod } from '../../../audit/src/audit';
import { sealedPublications } from '../../../audit/src/publication';
import type { ReportDocument } from '../../../projections/src/figure-report';
import type { ProjectionStateStore } from '../../../projections/src/projection-state.store';
import { PROJECTION_STATES } from '../../../projections/src/projections.module';
import { EVENT_STORE } from '../../../store/src/event-store.module';
import type { EventStore } from '../../../store/src/event-store.port';
import { FIGURE_SOURCES } from '../../../../projections';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
  ) {}

  async execute(query: AuditQuery): Promise<Observable<Progressing<AuditFindings>>> {
    const { published, ...request } = query.request;
    const report = typeof published === 'string' ? await this.sealed(published) : published;
    return progressing((onProgress) => auditPeriod(this.store, this.states, FIGURE_SOURCES, { ...request, ...(report ? { published: report } : {}), onProgress }));
  }

  private async sealed(publicationId: string): Promise<ReportDocument> {
    const sealed = (await sealedPublications(this.store)).find((p) => p.publicationId === publicationId);
    if (!sealed) throw new UnknownPublicationError(publicationId);
    return sealed.report;
  }
}
