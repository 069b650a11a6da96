import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { consistencyProofOf, servedCheckpoint } from '@ledger/audit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore, StoredCheckpoint } from '@ledger/store';
import { CheckpointsQuery, ConsistencyProofQuery, LatestCheckpointQuery, PublicKeyQuery } from './checkpoint.queries';
import { LedgerKey } from './ledger-key';

@QueryHandler(PublicKeyQuery)
export class PublicKeyHandler implements IQueryHandler<PublicKeyQuery> {
  constructor(private readonly key: LedgerKey) {}

  async execute(): Promise<{ origin: string; vkey: string }> {
    return { origin: await this.key.origin(), vkey: await this.key.verifierKey() };
  }
}

@QueryHandler(LatestCheckpointQuery)
export class LatestCheckpointHandler implements IQueryHandler<LatestCheckpointQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** With the witness cosignatures collected for it (POST /checkpoint/cosignatures). */
  async execute(): Promise<StoredCheckpoint | null> {
    const [latest] = await this.store.checkpoints(1);
    return latest ? servedCheckpoint(this.store, latest) : null;
  }
}

@QueryHandler(ConsistencyProofQuery)
export class ConsistencyProofHandler implements IQueryHandler<ConsistencyProofQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: ConsistencyProofQuery): Promise<{ from: number; to: number; proof: Buffer[] }> {
    return consistencyProofOf(this.store, query.from, query.to);
  }
}

@QueryHandler(CheckpointsQuery)
export class CheckpointsHandler implements IQueryHandler<CheckpointsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: CheckpointsQuery): Promise<StoredCheckpoint[]> {
    const kept = await this.store.checkpoints(query.limit);
    const served: StoredCheckpoint[] = [];
    for (const checkpoint of kept) served.push(await servedCheckpoint(this.store, checkpoint));
    return served;
  }
}
