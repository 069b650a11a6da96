import { Command } from '@nestjs/cqrs';

/** What collecting a witness's cosignatures answers. */
export interface CollectedCosignatures {
  /** The tree size of the checkpoint cosigned. */
  readonly treeSize: number;
  /** Cosignature lines kept by this call (0: every one was already kept). */
  readonly added: number;
  /** The witnesses whose cosignatures the ledger now holds for this checkpoint (`<name>+<key ID>`). */
  readonly witnesses: string[];
  /** The checkpoint as `GET /checkpoint` serves it now: the ledger's note and the cosignatures collected. */
  readonly note: string;
}

/**
 * Keeps the witness cosignatures of a checkpoint the ledger signed (issue 9: "the API can
 * collect cosignatures"). `note` is the cosigned checkpoint, as a witness stores it. Refused:
 * CosignatureRefusal (a RangeError; nothing kept): malformed, a checkpoint the ledger never
 * signed, a line by a key not in LEDGER_WITNESS_KEYS, a cosignature that does not verify.
 */
export class CollectCosignaturesCommand extends Command<CollectedCosignatures> {
  constructor(
    readonly note: string,
    /** When it is received (RFC 3339, from the shell's clock). */
    readonly receivedAt: string,
  ) {
    super();
  }
}
