import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { SignedCheckpoint } from '@ledger/audit';
import type { CheckpointSchedule } from '@ledger/application';
import { PeriodicCheckpointCommand } from '@ledger/application';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';

/** How often the schedule is looked at: a checkpoint is at most this late. */
export const CHECKPOINT_POLL_MS = 5_000;

/**
 * Periodic checkpoints (CHECKPOINT_EVERY_EVENTS, CHECKPOINT_EVERY_MINUTES): every few seconds,
 * `tick` asks the use case, which signs the head when one is due. Off when both are 0.
 */
@Injectable()
export class PeriodicCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PeriodicCheckpoints');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SignedCheckpoint | null> | undefined;
  readonly schedule: CheckpointSchedule;

  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_ENVIRONMENT) environment: LedgerEnvironment,
  ) {
    this.schedule = { everyEvents: environment.CHECKPOINT_EVERY_EVENTS, everyMinutes: environment.CHECKPOINT_EVERY_MINUTES };
  }

  get enabled(): boolean {
    return this.schedule.everyEvents > 0 || this.schedule.everyMinutes > 0;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.logger.error(`periodic checkpoint failed: ${error instanceof Error ? error.message : String(error)}`));
    }, CHECKPOINT_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => null);
  }

  /** Signs the head if a checkpoint is due now (the injected clock); one at a time. */
  async tick(): Promise<SignedCheckpoint | null> {
    if (!this.enabled) return null;
    if (this.running) return this.running;
    this.running = this.commands.execute(new PeriodicCheckpointCommand(this.schedule, this.clock()));
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
