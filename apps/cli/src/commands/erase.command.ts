import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EraseLearnerCommand } from '@ledger/application';
import type { LearnerErasure } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK, ErasureRefusedError } from '@ledger/store';
import type { CliIo } from '../cli-io';

export interface EraseOptions {
  readonly learner?: string;
  readonly reason?: string;
}

/**
 * `ledger erase --learner ID --reason TEXT` (docs/erasure.md): the learner's personal data
 * erased, the proofs kept. Exit 0 when erased or already erased (nothing changed then), 1 for
 * a learner the log does not know or a store that cannot erase, 2 for bad arguments.
 */
export async function eraseCommand(app: INestApplicationContext, options: EraseOptions, io: CliIo): Promise<number> {
  for (const [option, value] of [['--learner <id>', options.learner], ['--reason <text>', options.reason]] as const) {
    if (value === undefined || value.trim() === '') {
      io.err(`erase: ${option} is required${option === '--reason <text>' ? ' (why the learner is erased; no personal data in it)' : ''}`);
      return 2;
    }
  }
  let erasure: LearnerErasure;
  try {
    // The shell makes the event id and reads the clock; the handler erases, vacuums and rebuilds.
    erasure = await app.get(CommandBus).execute(
      new EraseLearnerCommand({ learnerId: options.learner ?? '', reason: options.reason ?? '', erasedAt: app.get<Clock>(CLOCK)().toISOString(), eventId: randomUUID() }),
    );
  } catch (error) {
    if (!(error instanceof ErasureRefusedError)) throw error;
    io.err(error.refusal === 'invalid-request' ? `erase: ${error.errors.map((e) => `--${e.field === 'learnerId' ? 'learner' : e.field} ${e.message}`).join('; ')}; nothing changed` : error.message);
    return error.refusal === 'invalid-request' ? 2 : 1;
  }
  if (erasure.status === 'already-erased') {
    io.out(`learner ${erasure.learnerId} is already erased (LearnerErased at position ${erasure.position}, recorded ${erasure.recordedAt}): nothing changed`);
    return 0;
  }
  io.out(`erased learner ${erasure.learnerId}: ${erasure.erasedEvents} events lost their personal data; LearnerErased at position ${erasure.position}`);
  io.out('positions, types, leaves, the hash chain, every seal and proof stay valid');
  if (erasure.vacuumed) io.out('the events table was rewritten (VACUUM FULL): no old row version keeps the erased data');
  io.out(
    erasure.readModels.rebuilt.length === 0
      ? 'no read model held the learner'
      : `read models rebuilt without the learner: ${erasure.readModels.rebuilt.join(', ')} (${erasure.readModels.seconds.toFixed(1)} s)`,
  );
  io.out('not reached: backups, exports and proof bundles given before (docs/erasure.md)');
  return 0;
}
