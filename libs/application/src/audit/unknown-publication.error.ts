/** No publication of that id is sealed in the log. */
export class UnknownPublicationError extends RangeError {
  constructor(readonly publicationId: string) {
    super(`no sealed publication ${JSON.stringify(publicationId)} in the log`);
    this.name = 'UnknownPublicationError';
  }
}
