import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { publicationCheckpoint, sealedPublications } from '@ledger/audit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { computeDescribedReport, FIGURE_REGISTRY, PROJECTION_STATES } from '@ledger/projection-runtime';
import type { FigureSource } from '@ledger/projection-kit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { UnknownPublicationError } from '../audit/unknown-publication.error';
import { LedgerKey } from '../checkpoints/ledger-key';
import { ReadModelsQueue } from '../read-models.queue';
import type { PublicationRead } from './publication.query';
import { PublicationQuery } from './publication.query';

/**
 * The publication's figures are the published ones, never recomputed; the definitions (labels,
 * units, what they count, a commitment's label from the log) are read as known at the
 * publication's K, through the read-models queue as a report is.
 */
@QueryHandler(PublicationQuery)
export class PublicationHandler implements IQueryHandler<PublicationQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
    private readonly key: LedgerKey,
  ) {}

  async execute(query: PublicationQuery): Promise<PublicationRead> {
    const found = (await sealedPublications(this.store)).find((p) => p.publicationId === query.publicationId);
    if (!found) throw new UnknownPublicationError(query.publicationId);
    const signer = await this.key.signer();
    const checkpoint = publicationCheckpoint(signer, found.seal, { publicationId: found.publicationId, eventId: found.eventId, position: found.position });
    const { knownAt, period } = found.report;
    const { definitions } = await this.queue.run(() => computeDescribedReport(this.store, this.states, this.sources, { period, knownAt, now: knownAt }));
    return { ...found, checkpoint, publicKey: signer.verifierKey(), definitions };
  }
}
