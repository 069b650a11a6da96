import { lastValueFrom, take, toArray } from 'rxjs';
import { progressing, resultOf, UnsubscribedError } from './progress';

describe('progressing: a long use case as an Observable', () => {
  it('runs nothing until subscribed to, then gives progress, the result once, and completes', async () => {
    let runs = 0;
    const work = progressing(async (progress) => {
      runs += 1;
      progress('reading', 1, 2);
      progress('reading', 2, 2);
      return 'done';
    });
    expect(runs).toBe(0);
    expect(await lastValueFrom(work.pipe(toArray()))).toEqual([
      { type: 'progress', phase: 'reading', done: 1, total: 2 },
      { type: 'progress', phase: 'reading', done: 2, total: 2 },
      { type: 'result', result: 'done' },
    ]);
    expect(runs).toBe(1);
  });

  it('aborts the signal the work sees when the subscriber unsubscribes before the end', async () => {
    let seen: AbortSignal | undefined;
    const aborted = new Promise<unknown>((resolve) => {
      const work = progressing<string>(async (progress, signal) => {
        seen = signal;
        signal.addEventListener('abort', () => resolve(signal.reason));
        progress('writing', 0, 1);
        return new Promise<string>(() => undefined);
      });
      void lastValueFrom(work.pipe(take(1)));
    });
    expect(await aborted).toBeInstanceOf(UnsubscribedError);
    expect(seen?.aborted).toBe(true);
  });

  it("passes on the command's own abort (Ctrl-C), with its reason, and the work's error", async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const work = progressing(
      (_progress, signal) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error));
          controller.abort(reason);
        }),
      controller.signal,
    );
    await expect(resultOf(work)).rejects.toBe(reason);
  });

  it('does not abort a work that has ended', async () => {
    let seen: AbortSignal | undefined;
    await resultOf(
      progressing(async (_progress, signal) => {
        seen = signal;
        return 1;
      }),
    );
    expect(seen?.aborted).toBe(false);
  });
});
