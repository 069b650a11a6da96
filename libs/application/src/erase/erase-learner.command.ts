import { Command } from '@nestjs/cqrs';

/** What an erasure did (docs/erasure.md). */
export interface LearnerErasure {
  /** `already-erased`: the learner was erased before; nothing changed (the first erasure's position). */
  readonly status: 'erased' | 'already-erased';
  readonly learnerId: string;
  /** Where the `LearnerErased` event is. */
  readonly position: number;
  readonly recordedAt: string;
  /** Events whose personal part was removed now (0 when already erased). */
  readonly erasedEvents: number;
  /** The store's old row versions were rewritten away (PostgreSQL's VACUUM FULL); false where there is none to do (SQLite zeroes them in place). */
  readonly vacuumed: boolean;
  /** The read models rebuilt without the learner (those that fold a type of the learner's events), and how long that took. */
  readonly readModels: { readonly rebuilt: readonly string[]; readonly seconds: number };
}

/**
 * Erases a learner's personal data: `LearnerErased` appended and the payloads removed in one
 * transaction, the store's old row versions vacuumed, the read models rebuilt without them.
 * The shell makes the event id and reads the clock (`erasedAt`). The reason must not hold
 * personal data. Refused (ErasureRefusedError, nothing changed): a bad request
 * (`invalid-request`, each field named), a learner the log does not know (`unknown-learner`),
 * a store that cannot erase (`not-supported`).
 */
export class EraseLearnerCommand extends Command<LearnerErasure> {
  constructor(
    readonly request: {
      readonly learnerId: string;
      readonly reason: string;
      readonly erasedAt: string;
      readonly eventId: string;
    },
  ) {
    super();
  }
}
