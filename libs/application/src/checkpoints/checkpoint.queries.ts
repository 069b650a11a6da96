import { Query } from '@nestjs/cqrs';
import type { StoredCheckpoint } from '@ledger/store';

/** The ledger's verifier key in C2SP vkey form, and its origin. A missing key file: SigningKeyMissingError (a RangeError). */
export class PublicKeyQuery extends Query<{ readonly origin: string; readonly vkey: string }> {}

/** The latest checkpoint the ledger signed, or null. */
export class LatestCheckpointQuery extends Query<StoredCheckpoint | null> {}

/**
 * The RFC 9162 consistency proof between two sizes of the log. `from > to`, a negative size or
 * `to` beyond the head: ConsistencyRequestError (a RangeError naming the field).
 */
export class ConsistencyProofQuery extends Query<{ readonly from: number; readonly to: number; readonly proof: Buffer[] }> {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    super();
  }
}

/** The checkpoints the ledger kept, oldest first (at most `limit` of the latest), each with the witness cosignatures collected for it. */
export class CheckpointsQuery extends Query<StoredCheckpoint[]> {
  constructor(readonly limit: number) {
    super();
  }
}
