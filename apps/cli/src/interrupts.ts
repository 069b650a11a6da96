import type { CliIo } from './cli-io';

/** The exit code of a command stopped by SIGINT or SIGTERM (128 + SIGINT's number, as shells report Ctrl-C). */
export const INTERRUPTED = 130;

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The reason of an interrupted command's abort signal. */
export class InterruptedError extends Error {
  constructor(readonly signalName: InterruptSignal) {
    super(`interrupted by ${signalName}`);
    this.name = 'InterruptedError';
  }
}

/** What a command that writes hears of SIGINT and SIGTERM while it listens. */
export interface Interrupts {
  /** Aborted at the first SIGINT or SIGTERM, with an `InterruptedError` as its reason. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): InterruptSignal | undefined;
  /** Stops listening: the default handling (stop at once) is back. */
  dispose(): void;
}

/**
 * Signals within this long of the first are the same interrupt: Ctrl-C under `npm run`
 * reaches the command from the terminal and again from each npm that forwards it.
 */
const SAME_INTERRUPT_MS = 1000;

/**
 * Makes SIGINT (Ctrl-C) and SIGTERM cancel the work in progress instead of killing the
 * process: the command rolls back what it has not committed, says what is kept, and exits
 * 130. Another signal, a second or more later, stops the process at once; that is safe, as
 * a kill is, because every write is one transaction.
 */
export function listenForInterrupts(io: CliIo): Interrupts {
  const controller = new AbortController();
  let received: InterruptSignal | undefined;
  let firstAt = 0;
  const onSignal = (name: InterruptSignal): void => {
    if (received) {
      if (Date.now() - firstAt < SAME_INTERRUPT_MS) return;
      io.err(`${name} again: stopping now (what was not committed is not stored)`);
      process.exit(INTERRUPTED);
    }
    received = name;
    firstAt = Date.now();
    controller.abort(new InterruptedError(name));
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
