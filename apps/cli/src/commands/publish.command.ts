import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { PublicationExistsError, PublishCommand } from '@ledger/application';
import type { Published } from '@ledger/application';
import { PublicationRefusedError } from '@ledger/audit';
import { PUBLICATION_ID, PUBLICATION_ID_RULE } from '@ledger/events';
import { parsePeriod } from '@ledger/projection-kit';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';

export interface PublishOptions {
  readonly from: string;
  readonly to: string;
  readonly knownAt?: string;
  readonly id?: string;
  readonly out?: string;
}

/**
 * `ledger publish --from --to [--known-at] [--id] [--out]`: the report recorded in the log
 * itself, sealed with the Merkle root and size of the log at that moment, and the signed
 * checkpoint of that tree (printed, and written with the report to `--out`).
 */
export async function publishCommand(app: INestApplicationContext, options: PublishOptions, io: CliIo): Promise<number> {
  let published: Published;
  try {
    if (options.id !== undefined && !PUBLICATION_ID.test(options.id)) throw new RangeError(`--id: ${PUBLICATION_ID_RULE}`);
    const period = parsePeriod(options.from, options.to);
    // The shell makes the id and reads the clock; the handler computes the report, and the seal from the log.
    published = await app.get(CommandBus).execute(
      new PublishCommand({
        period,
        ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}),
        now: app.get<Clock>(CLOCK)().toISOString(),
        ...(options.id !== undefined ? { publicationId: options.id } : {}),
        eventId: randomUUID(),
      }),
    );
  } catch (error) {
    if (error instanceof PublicationExistsError) {
      io.err(`publication ${JSON.stringify(error.publicationId)} already exists: a corrected report is a new publication (--id)`);
      return 2;
    }
    if (error instanceof PublicationRefusedError) {
      io.err(error.message);
      return 1;
    }
    return refusedInput(io, error);
  }
  const { publicationId, appended, seal, checkpoint, publicKey } = published;
  if (options.out) await writeFile(options.out, `${JSON.stringify(publicationFile(published), null, 2)}\n`);
  io.out(`published ${publicationId} at log position ${appended.position} (event ${appended.eventId})`);
  io.out(`sealed: the log's first ${seal.treeSize} events have Merkle root ${seal.merkleRoot}`);
  io.out(`signed by the ledger key ${publicKey}:`);
  io.out(checkpoint.trimEnd());
  if (options.out) io.out(`report, seal and signed checkpoint written to ${options.out}`);
  return 0;
}

/** The `impact-ledger-publication/1` file of `--out` (docs/audit.md): the report with its seal and the signed checkpoint of the sealed tree. */
export function publicationFile(published: Published): Record<string, unknown> {
  const { publicationId, appended, seal, report, checkpoint, publicKey } = published;
  return {
    format: 'impact-ledger-publication/1',
    publicationId,
    eventId: appended.eventId,
    position: appended.position,
    recordedAt: appended.recordedAt,
    seal,
    checkpoint,
    publicKey,
    report,
  };
}
