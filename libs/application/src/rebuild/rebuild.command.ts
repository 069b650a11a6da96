import { Command } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { Progressing } from '../progress';

export interface Rebuilt {
  /** How long the rebuild itself took (the wait for the reports in progress left out). */
  readonly seconds: number;
  readonly projections: ReadonlyArray<{ readonly name: string; readonly version: number; readonly position: number }>;
}

/** One projection (by name), or every one, built again from position 0: progress, then what was rebuilt. */
export class RebuildCommand extends Command<Observable<Progressing<Rebuilt>>> {
  constructor(readonly projection?: string) {
    super();
  }
}

/** No projection has that name. */
export class UnknownProjectionError extends RangeError {
  constructor(
    readonly projection: string,
    readonly known: readonly string[],
  ) {
    super(`no projection named ${JSON.stringify(projection)}; there are: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}
