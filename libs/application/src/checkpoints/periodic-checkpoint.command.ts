import { Command } from '@nestjs/cqrs';
import type { SignedCheckpoint } from '@ledger/audit';
import type { LogHead, StoredCheckpoint } from '@ledger/store';

export interface CheckpointSchedule {
  /** Sign once this many events were appended since the last checkpoint; 0: never by count. */
  readonly everyEvents: number;
  /** Sign a grown log once this many minutes passed since the last checkpoint; 0: never by time. */
  readonly everyMinutes: number;
}

/**
 * Whether a checkpoint is due: only for a log that grew since the last one (an unchanged head
 * is never signed again), once enough events or enough time passed. With no checkpoint yet,
 * the first is due as soon as the log holds events and either rule is on.
 */
export function checkpointDue(schedule: CheckpointSchedule, head: LogHead, last: StoredCheckpoint | undefined, now: Date): boolean {
  const grown = head.position - (last?.treeSize ?? 0);
  if (grown <= 0) return false;
  if (schedule.everyEvents > 0 && grown >= schedule.everyEvents) return true;
  if (schedule.everyMinutes <= 0) return false;
  if (!last) return true;
  return now.getTime() - Date.parse(last.signedAt) >= schedule.everyMinutes * 60_000;
}

/** The API's periodic checkpoint: signs the head when `checkpointDue`, else nothing (null). */
export class PeriodicCheckpointCommand extends Command<SignedCheckpoint | null> {
  constructor(
    readonly schedule: CheckpointSchedule,
    /** The shell's clock, read once. */
    readonly now: Date,
  ) {
    super();
  }
}
