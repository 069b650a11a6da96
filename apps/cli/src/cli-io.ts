import type { RejectedEvent } from '@ledger/ingest';

/** Where a command writes: stdout for results, stderr for refusals and progress. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function formatRejection(e: RejectedEvent): string {
  const where = e.line !== undefined ? `line ${e.line}` : `event #${e.index}`;
  const id = e.eventId !== undefined ? ` (eventId ${e.eventId})` : '';
  return `${where}${id}: ${e.field} ${e.message}`;
}

/**
 * Bad input, which the use cases name with a RangeError (a day, a moment, a figure id): said
 * on stderr, exit code 2. Any other error is not bad input and goes on up.
 */
export function refusedInput(io: CliIo, error: unknown): 2 {
  if (!(error instanceof RangeError)) throw error;
  io.err(error.message);
  return 2;
}
