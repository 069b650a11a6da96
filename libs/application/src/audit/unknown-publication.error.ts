/** No publication of that id is sealed in the log. */
export class UnknownPublicationError extends RangeError {
  constructor(readonly publicationId: string) {
    super(`no sealed publication ${JSON.stringify(publicationId)} in the log`);
    this.name = 'UnknownPublicationError';
  }
}

/** A key to check trusted checkpoints with cannot be read, or none was given and the ledger has none: bad input, naming the field. */
export class TrustedKeyError extends RangeError {
  constructor(
    readonly field: 'logKey' | 'witnessKeys',
    message: string,
  ) {
    super(message);
    this.name = 'TrustedKeyError';
  }
}
