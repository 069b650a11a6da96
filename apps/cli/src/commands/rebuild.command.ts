import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { resultOf } from '@ledger/application';
import type { Progressing } from '@ledger/application';
import type { Rebuilt } from '@ledger/application';
import { RebuildCommand, UnknownProjectionError } from '@ledger/application';
import type { CliIo } from '../cli-io';
import { drawProgress, TerminalProgress } from '../progress';

/** `ledger rebuild [projection]`: builds one projection, or all, again from position 0. */
export async function rebuildCommand(app: INestApplicationContext, name: string | undefined, io: CliIo): Promise<number> {
  let rebuild: Observable<Progressing<Rebuilt>>;
  try {
    rebuild = await app.get(CommandBus).execute(new RebuildCommand(name));
  } catch (error) {
    if (!(error instanceof UnknownProjectionError)) throw error;
    io.err(error.message);
    return 1;
  }
  const progress = new TerminalProgress();
  // The bar is named by the projection rebuilt (or `rebuild`, for all); the wait for other catch-ups is not drawn.
  const rebuilt = await resultOf(rebuild, drawProgress(progress, (phase) => (phase === 'rebuilding' ? (name ?? 'rebuild') : undefined)));
  progress.stop();
  for (const projection of rebuilt.projections) {
    io.out(`rebuilt ${projection.name} v${projection.version} to position ${projection.position} (${rebuilt.seconds.toFixed(1)} s, in one pass over the log)`);
  }
  return 0;
}
