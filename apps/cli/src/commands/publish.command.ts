import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { publishReport, PublicationRefusedError } from '@ledger/audit';
import { PUBLICATION_ID, PUBLICATION_ID_RULE } from '@ledger/events';
import type { Clock, EventStore } from '@ledger/store';
import { WrongExpectedRevisionError } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import { reportOf } from './report.command';

export interface PublishOptions {
  readonly from: string;
  readonly to: string;
  readonly knownAt?: string;
  readonly id?: string;
  readonly out?: string;
}

/**
 * `ledger publish --from --to [--known-at] [--id] [--out]`: the report recorded in the log
 * itself, sealed with the Merkle root and size of the log at that moment.
 */
export async function publishCommand(app: INestApplicationContext, options: PublishOptions, io: CliIo): Promise<number> {
  const store = app.get<EventStore>(EVENT_STORE);
  const now = app.get<Clock>(CLOCK)().toISOString();
  let report;
  try {
    if (options.id !== undefined && !PUBLICATION_ID.test(options.id)) throw new RangeError(`--id: ${PUBLICATION_ID_RULE}`);
    report = await reportOf(app, options);
  } catch (error) {
    return refusedInput(io, error);
  }
  const publicationId = options.id ?? `report-${report.period.from}-${report.period.to}-known-at-${report.knownAt}`;
  try {
    // The shell makes the id and reads the clock; the seal is computed from the log.
    const { appended, seal } = await publishReport(store, report, { publicationId, eventId: randomUUID(), occurredAt: now });
    if (options.out) await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
    io.out(`published ${publicationId} at log position ${appended.position} (event ${appended.eventId})`);
    io.out(`sealed: the log's first ${seal.treeSize} events have Merkle root ${seal.merkleRoot}`);
    if (options.out) io.out(`report written to ${options.out}`);
    return 0;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) {
      io.err(`publication ${JSON.stringify(publicationId)} already exists: a corrected report is a new publication (--id)`);
      return 2;
    }
    if (!(error instanceof PublicationRefusedError)) throw error;
    io.err(error.message);
    return 1;
  }
}
