import { Observable, filter, lastValueFrom, map, tap } from 'rxjs';

/** How far a long use case has got: `done` of `total` in its current phase. */
export interface ProgressEvent {
  readonly type: 'progress';
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** The last event of a long use case: what it returns. */
export interface ResultEvent<R> {
  readonly type: 'result';
  readonly result: R;
}

/** What a long use case (rebuild, audit, import, verify) emits: progress, then its result once. */
export type Progressing<R> = ProgressEvent | ResultEvent<R>;

export type ReportProgress = (phase: string, done: number, total: number) => void;

/** The reason of the abort signal a long use case sees when its subscriber unsubscribes before the end. */
export class UnsubscribedError extends Error {
  constructor() {
    super('the subscriber unsubscribed: the work was stopped');
    this.name = 'UnsubscribedError';
  }
}

/**
 * Work that reports its progress, as a cold Observable: nothing runs until it is
 * subscribed to; then progress events, the result, and completion (or the work's error).
 * The work's abort signal fires when `signal` (the command's: Ctrl-C) does, or when the
 * subscriber unsubscribes before the end; work that listens to it stops before it commits.
 */
export function progressing<R>(work: (progress: ReportProgress, signal: AbortSignal) => Promise<R>, signal?: AbortSignal): Observable<Progressing<R>> {
  return new Observable<Progressing<R>>((subscriber) => {
    const controller = new AbortController();
    const fromCommand = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) fromCommand();
    else signal?.addEventListener('abort', fromCommand, { once: true });
    let finished = false;
    work((phase, done, total) => subscriber.next({ type: 'progress', phase, done, total }), controller.signal).then(
      (result) => {
        finished = true;
        subscriber.next({ type: 'result', result });
        subscriber.complete();
      },
      (error: unknown) => {
        finished = true;
        subscriber.error(error);
      },
    );
    return () => {
      signal?.removeEventListener('abort', fromCommand);
      if (!finished) controller.abort(new UnsubscribedError());
    };
  });
}

function isResult<R>(event: Progressing<R>): event is ResultEvent<R> {
  return event.type === 'result';
}

/** Subscribes to a long use case, hands each progress event to `onProgress`, and resolves with its result. */
export function resultOf<R>(events: Observable<Progressing<R>>, onProgress: (progress: ProgressEvent) => void = () => undefined): Promise<R> {
  return lastValueFrom(
    events.pipe(
      tap((event) => {
        if (event.type === 'progress') onProgress(event);
      }),
      filter(isResult),
      map((event) => event.result),
    ),
  );
}
