import { Inject, Optional } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { acceptedWitnessKeys, checkCosignatures, servedCheckpoint } from '@ledger/audit';
import { parseNote } from '@ledger/integrity';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { CollectedCosignatures } from './collect-cosignatures.command';
import { CollectCosignaturesCommand } from './collect-cosignatures.command';

@CommandHandler(CollectCosignaturesCommand)
export class CollectCosignaturesHandler implements ICommandHandler<CollectCosignaturesCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(LEDGER_ENVIRONMENT) private readonly environment?: LedgerEnvironment,
  ) {}

  async execute(command: CollectCosignaturesCommand): Promise<CollectedCosignatures> {
    const witnesses = acceptedWitnessKeys(this.environment?.LEDGER_WITNESS_KEYS ?? '');
    const { checkpoint, cosignatures } = await checkCosignatures(this.store, command.note, witnesses, command.receivedAt);
    const added = await this.store.saveCosignatures(cosignatures);
    const collected = (await this.store.cosignatures(checkpoint.treeSize)).filter((c) => c.checkpoint === parseNote(checkpoint.note).text);
    const served = await servedCheckpoint(this.store, checkpoint);
    return { treeSize: checkpoint.treeSize, added, witnesses: [...new Set(collected.map((c) => c.witness))], note: served.note };
  }
}
