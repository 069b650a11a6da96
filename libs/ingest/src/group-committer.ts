import type { AppendedEvent, AppendRequest, EventStore } from '@ledger/store';

interface Pending {
  readonly request: AppendRequest;
  readonly resolve: (outcome: AppendedEvent[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Group commit for concurrent single-event requests: requests that arrive while a commit
 * is in flight wait for the next one, which takes them all in one durable transaction
 * (`EventStore.appendGroup`). Each request is still atomic on its own and is answered
 * only after its commit, so every acknowledged event is durable, and the disk is flushed
 * once per group instead of once per request.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private committing = false;
  private scheduled = false;
  private groups = 0;
  private grouped = 0;
  private closed = false;
  /** Resolved, and replaced, whenever the committer has nothing queued or in flight. */
  private idle: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly maxGroupSize = 1000,
  ) {}

  submit(request: AppendRequest): Promise<AppendedEvent[]> {
    if (this.closed) return Promise.reject(new CommitterClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /**
   * The first step of a shutdown, before the store closes: refuses new requests (nothing of
   * them is stored), and resolves once the requests already submitted are committed and
   * answered, the group in flight and the ones queued behind it.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.committing || this.scheduled || this.queue.length > 0) {
      this.idle ??= deferred();
      await this.idle.promise;
    }
  }

  /** Commits so far and requests per commit, for metrics and the benchmark. */
  stats(): { commits: number; requests: number } {
    return { commits: this.groups, requests: this.grouped };
  }

  private schedule(): void {
    if (this.committing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate lets the requests already read from sockets join this group.
    setImmediate(() => {
      this.scheduled = false;
      void this.commitNext();
    });
  }

  private async commitNext(): Promise<void> {
    const group = this.queue.splice(0, this.maxGroupSize);
    if (group.length === 0) return this.settled();
    this.committing = true;
    try {
      const results = await this.store.appendGroup(group.map((p) => p.request));
      this.groups += 1;
      this.grouped += group.length;
      group.forEach((pending, i) => {
        const result = results[i];
        if (result instanceof Error) pending.reject(result);
        else if (result) pending.resolve(result);
        else pending.reject(new Error('the store returned no result for a request of the group'));
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error), { cause: error });
      for (const pending of group) pending.reject(failure);
    } finally {
      this.committing = false;
      this.schedule();
      this.settled();
    }
  }

  /** Wakes a `close` waiting for the committer to have nothing left. */
  private settled(): void {
    if (this.committing || this.scheduled || this.queue.length > 0) return;
    this.idle?.resolve();
    this.idle = undefined;
  }
}

/** A request submitted once the committer is closed (the API is stopping): it is not stored. */
export class CommitterClosedError extends Error {
  constructor() {
    super('the ledger is shutting down: this request was not stored');
    this.name = 'CommitterClosedError';
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
