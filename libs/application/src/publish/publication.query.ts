import { Query } from '@nestjs/cqrs';
import type { SealedPublication } from '@ledger/audit';
import type { FigureDefinition } from '@ledger/projection-kit';

/** A sealed publication as `POST /publications` answered it, with the definitions of its figures (what an export lays out). */
export interface PublicationRead extends SealedPublication {
  /** The ledger's signed checkpoint of the sealed tree, the publication and seal as extension lines. */
  readonly checkpoint: string;
  readonly publicKey: string;
  readonly definitions: readonly FigureDefinition[];
}

/**
 * A sealed publication read back from the log: its report as published, its seal, the ledger's
 * signed checkpoint of the sealed tree (the same bytes `ledger publish` gave: the signature is
 * deterministic), and the definitions of its figures as known at its K. No such publication:
 * UnknownPublicationError.
 */
export class PublicationQuery extends Query<PublicationRead> {
  constructor(readonly publicationId: string) {
    super();
  }
}
