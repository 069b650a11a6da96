import { Command } from '@nestjs/cqrs';
import type { SignedCheckpoint } from '@ledger/audit';

/** Signs the log's head as a C2SP checkpoint and keeps it (docs/signed-checkpoints.md); the key file is made on first use. */
export class SignCheckpointCommand extends Command<SignedCheckpoint> {
  constructor(
    /** When it is signed (RFC 3339, from the shell's clock). */
    readonly signedAt: string,
  ) {
    super();
  }
}
