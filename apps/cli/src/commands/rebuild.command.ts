import type { INestApplicationContext } from '@nestjs/common';
import { rebuildAll } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { PROJECTIONS } from '@ledger/projections';
import type { CliIo } from '../cli-io';
import { TerminalProgress } from '../progress';

/** `ledger rebuild [projection]`: builds one projection, or all, again from position 0. */
export async function rebuildCommand(app: INestApplicationContext, name: string | undefined, io: CliIo): Promise<number> {
  const chosen = name === undefined ? PROJECTIONS : PROJECTIONS.filter((p) => p.name === name);
  if (chosen.length === 0) {
    io.err(`no projection named ${JSON.stringify(name)}; there are: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
    return 1;
  }
  const store = app.get<EventStore>(EVENT_STORE);
  const states = app.get<ProjectionStateStore>(PROJECTION_STATES);
  const head = (await store.head()).position;
  const progress = new TerminalProgress();
  progress.phase(chosen.length === 1 ? (chosen[0]?.name ?? 'rebuild') : 'rebuild', head);
  const started = process.hrtime.bigint();
  const results = await rebuildAll(store, states, chosen, { onProgress: (p) => progress.advance(p) });
  progress.stop();
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  chosen.forEach((projection, i) =>
    io.out(`rebuilt ${projection.name} v${projection.version} to position ${results[i]?.position ?? 0} (${seconds} s, in one pass over the log)`),
  );
  return 0;
}
