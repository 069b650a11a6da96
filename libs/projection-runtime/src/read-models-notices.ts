import { Injectable } from '@nestjs/common';
import type { ReadModelsDiscardReason, ReadModelsNotice } from './projection-state.store';
import { READ_MODELS_DISCARD_REASONS } from './projection-state.store';

/**
 * Where the notices of read models not used as they were go, in the applications: one line on
 * stderr each (the CLI's user, the API's operator), and a count by reason for `GET /metrics`.
 */
@Injectable()
export class ReadModelsNotices {
  private readonly counts = new Map<ReadModelsDiscardReason, number>(READ_MODELS_DISCARD_REASONS.map((reason) => [reason, 0]));

  record(notice: ReadModelsNotice): void {
    this.counts.set(notice.reason, (this.counts.get(notice.reason) ?? 0) + 1);
    process.stderr.write(`notice: ${notice.message}\n`);
  }

  /** How many times stored read models were discarded (or a file set aside), by reason, since the process started. */
  discarded(): ReadonlyMap<ReadModelsDiscardReason, number> {
    return this.counts;
  }
}
