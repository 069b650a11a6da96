import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { SignedCheckpoint } from '@ledger/audit';
import { signHead } from '@ledger/audit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { LedgerKey } from './ledger-key';
import { checkpointDue, PeriodicCheckpointCommand } from './periodic-checkpoint.command';

@CommandHandler(PeriodicCheckpointCommand)
export class PeriodicCheckpointHandler implements ICommandHandler<PeriodicCheckpointCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly key: LedgerKey,
  ) {}

  async execute(command: PeriodicCheckpointCommand): Promise<SignedCheckpoint | null> {
    const [last] = await this.store.checkpoints(1);
    if (!checkpointDue(command.schedule, await this.store.head(), last, command.now)) return null;
    return signHead(this.store, await this.key.signer(), command.now.toISOString());
  }
}
