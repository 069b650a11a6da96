import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ProofBundle } from '../../../audit/src/proof-bundle';
import { buildProofBundle } from '../../../audit/src/proof-bundle';
import { EVENT_STORE } from '../../../store/src/event-store.module';
import type { EventStore } from '../../../store/src/event-store.port';
import { ProofQuery } from './proof.query';

/** The bundle `tools/verify-proof.js` checks without the ledger; no proof to give: ProofError (its `kind` says why). */
@QueryHandler(ProofQuery)
export class ProofHandler implements IQueryHandler<ProofQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(query: ProofQuery): Promise<ProofBundle> {
    return buildProofBundle(this.store, query.eventId, query.against);
  }
}
