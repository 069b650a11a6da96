import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ProofBundle } from '@ledger/audit';
import { buildProofBundle, buildProofBundleAt, withCollectedCosignatures } from '@ledger/audit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { LedgerKey } from '../checkpoints/ledger-key';
import { ProofAtQuery, ProofQuery } from './proof.query';

/**
 * The bundle `tools/verify-proof.js` checks without the ledger, with the ledger's signed
 * checkpoint of its tree (the key file is made when missing, once the proof can be given: a proof signs, docs/audit.md);
 * and the witness cosignatures collected for that checkpoint when the ledger kept it;
 * no proof to give: ProofError (its `kind` says why).
 */
@QueryHandler(ProofQuery)
export class ProofHandler implements IQueryHandler<ProofQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly key: LedgerKey,
  ) {}

  async execute(query: ProofQuery): Promise<ProofBundle> {
    return withCollectedCosignatures(this.store, await buildProofBundle(this.store, query.eventId, query.against, () => this.key.signer()));
  }
}

/** By position: an erased event's proof (position, public leaf, `payload: "erased"`); no event there: ProofError `unknown-event`. */
@QueryHandler(ProofAtQuery)
export class ProofAtHandler implements IQueryHandler<ProofAtQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly key: LedgerKey,
  ) {}

  async execute(query: ProofAtQuery): Promise<ProofBundle> {
    return withCollectedCosignatures(this.store, await buildProofBundleAt(this.store, query.position, query.against, () => this.key.signer()));
  }
}
