import { Inject, Injectable, Optional } from '@nestjs/common';
import type { LedgerEnvironment } from '@ledger/config';
import { DEFAULT_LEDGER_NAME, DEFAULT_SIGNING_KEY, LEDGER_ENVIRONMENT } from '@ledger/config';
import { ledgerOrigin, loadSigningKey } from '@ledger/audit';
import type { Ed25519NoteSigner, NoteVerifier } from '@ledger/integrity';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';

/**
 * The ledger's signing key (LEDGER_SIGNING_KEY) under its origin (LEDGER_NAME and the log's
 * id). Only a use case that signs may make the key file; one that reads refuses a missing one.
 */
@Injectable()
export class LedgerKey {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(LEDGER_ENVIRONMENT) private readonly environment?: LedgerEnvironment,
  ) {}

  get file(): string {
    return this.environment?.LEDGER_SIGNING_KEY ?? DEFAULT_SIGNING_KEY;
  }

  async origin(): Promise<string> {
    return ledgerOrigin(this.environment?.LEDGER_NAME ?? DEFAULT_LEDGER_NAME, (await this.store.identity()).logId);
  }

  /** The key to sign with, the file made (0600) when missing. */
  async signer(): Promise<Ed25519NoteSigner> {
    return loadSigningKey(this.file, await this.origin(), { create: true });
  }

  /** The key to check with; a missing file is refused (`SigningKeyMissingError`), never made. */
  async verifier(): Promise<NoteVerifier> {
    return loadSigningKey(this.file, await this.origin(), { create: false }).verifier();
  }

  async verifierKey(): Promise<string> {
    return loadSigningKey(this.file, await this.origin(), { create: false }).verifierKey();
  }
}
