import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { SignedCheckpoint } from '@ledger/audit';
import { signHead } from '@ledger/audit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { LedgerKey } from './ledger-key';
import { SignCheckpointCommand } from './sign-checkpoint.command';

@CommandHandler(SignCheckpointCommand)
export class SignCheckpointHandler implements ICommandHandler<SignCheckpointCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly key: LedgerKey,
  ) {}

  async execute(command: SignCheckpointCommand): Promise<SignedCheckpoint> {
    return signHead(this.store, await this.key.signer(), command.signedAt);
  }
}
