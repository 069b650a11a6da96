import { Command } from '@nestjs/cqrs';
import type { CheckpointSource, WitnessRound } from '@ledger/audit';

export interface WitnessRequest {
  /** Where the checkpoints and proofs come from: the ledger's API or its database. */
  readonly source: CheckpointSource;
  /** The witness state folder (docs/signed-checkpoints.md, "Witness state"). */
  readonly stateDir: string;
  /** The ledger's verifier key; needed by a new state, and must match the one a state holds. */
  readonly logVkey?: string;
  /** The witness's key file (PEM, made 0600 when missing) and its name. */
  readonly keyFile: string;
  readonly name: string;
  /** The cosignature's time, POSIX seconds (the shell's clock). */
  readonly timestamp: number;
}

/**
 * One witness round (issue 9, item 3). Refusals: WitnessRefusal (a finding: fork, rollback,
 * bad signature, another origin...), WitnessUsageError (a RangeError: the state or a key is wrong).
 */
export class WitnessCommand extends Command<WitnessRound> {
  constructor(readonly request: WitnessRequest) {
    super();
  }
}
