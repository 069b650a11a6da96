import { CheckpointsHandler, ConsistencyProofHandler, LatestCheckpointHandler, PublicKeyHandler } from './checkpoint-queries.handler';
import { CollectCosignaturesHandler } from './collect-cosignatures.handler';
import { LedgerKey } from './ledger-key';
import { PeriodicCheckpointHandler } from './periodic-checkpoint.handler';
import { SignCheckpointHandler } from './sign-checkpoint.handler';

/** The ledger's checkpoint use cases (docs/signed-checkpoints.md), provided by ApplicationModule. */
export const CHECKPOINT_USE_CASES = [LedgerKey, SignCheckpointHandler, PeriodicCheckpointHandler, PublicKeyHandler, LatestCheckpointHandler, ConsistencyProofHandler, CollectCosignaturesHandler, CheckpointsHandler];
