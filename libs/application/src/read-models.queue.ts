import { Injectable } from '@nestjs/common';

/**
 * The work that brings the read models up to the head and saves them (a report, a
 * provenance, a publication, a rebuild), one at a time. Each of them starts with a
 * catch-up; run side by side, ten requests on read models behind the log would each fold
 * the same events into a copy of the states of their own, ten times the memory for one
 * result. In turn, the first catches up and the next ones find the states saved at the head.
 * An audit is not queued: it never writes the read models. One per application
 * (ApplicationModule): the handlers of the API's requests and of a CLI command share it.
 */
@Injectable()
export class ReadModelsQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
