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

/**
 * The proof of the event at a position of the log: how an erased event is proved (its event
 * id went with its payload); its bundle says `payload: "erased"`.
 */
export class ProofAtQuery extends Query<ProofBundle> {
  constructor(
    readonly position: number,
    readonly against?: string,
  ) {
    super();
  }
}
