import { Query } from '@nestjs/cqrs';
import type { ProofBundle } from '@ledger/audit';

/** An event's proof of inclusion in the log, or in the tree the publication `against` sealed. */
export class ProofQuery extends Query<ProofBundle> {
  constructor(
    readonly eventId: string,
    readonly against?: string,
  ) {
    super();
  }
}
