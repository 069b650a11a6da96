import { Command } from '@nestjs/cqrs';
import type { SealedPublication } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import type { AppendedEvent } from '@ledger/store';
import { WrongExpectedRevisionError } from '@ledger/store';

export interface Published {
  readonly publicationId: string;
  readonly appended: AppendedEvent;
  readonly seal: SealedPublication['seal'];
  readonly report: ReportDocument;
  /** The ledger's signed checkpoint of the sealed tree, the publication and seal as extension lines. */
  readonly checkpoint: string;
  /** The ledger's verifier key (`ledger public-key`), which signed it. */
  readonly publicKey: string;
}

/**
 * The period's report recorded in the log, sealed with its Merkle root and size. The shell
 * makes the event id and reads the clock (`now`: the publication's occurredAt, and the
 * default knownAt); `publicationId` defaults to report-<from>-<to>-known-at-<knownAt>.
 */
export class PublishCommand extends Command<Published> {
  constructor(
    readonly request: {
      readonly period: Period;
      readonly knownAt?: string;
      readonly now: string;
      readonly publicationId?: string;
      readonly eventId: string;
    },
  ) {
    super();
  }
}

/** The publication id is used already (its stream exists): a corrected report is a new publication. */
export class PublicationExistsError extends WrongExpectedRevisionError {
  constructor(
    readonly publicationId: string,
    conflict: WrongExpectedRevisionError,
  ) {
    super(conflict.streamId, conflict.expected, conflict.actual);
    this.name = 'PublicationExistsError';
  }
}
