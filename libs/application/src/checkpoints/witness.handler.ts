import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { WitnessRound } from '@ledger/audit';
import { loadWitnessKey, readWitnessState, witnessRound } from '@ledger/audit';
import { WitnessCommand } from './witness.command';

/** Needs no store of its own: it reads the ledger through the request's source. */
@CommandHandler(WitnessCommand)
export class WitnessHandler implements ICommandHandler<WitnessCommand> {
  async execute(command: WitnessCommand): Promise<WitnessRound> {
    const { source, stateDir, logVkey, keyFile, name, timestamp } = command.request;
    const state = readWitnessState(stateDir, logVkey);
    return witnessRound(source, state, loadWitnessKey(keyFile, name), timestamp);
  }
}
