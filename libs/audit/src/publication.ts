import type { ReportPublished } from '@ledger/events';
import { PUBLICATION_ID, PUBLICATION_ID_RULE } from '@ledger/events';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { AppendedEvent, EventStore } from '@ledger/store';
import { verifyLog } from './verify-log';

/** A publication as the log holds it: where, when, and what it sealed. */
export interface SealedPublication {
  readonly eventId: string;
  readonly position: number;
  readonly recordedAt: string;
  readonly publicationId: string;
  readonly report: ReportDocument;
  readonly seal: ReportPublished['data']['seal'];
}

/** Every sealed publication in the log (up to a position), in log order. */
export async function sealedPublications(store: EventStore, toPosition?: number): Promise<SealedPublication[]> {
  const found: SealedPublication[] = [];
  const options = toPosition === undefined ? { types: ['ReportPublished'], scan: true } : { types: ['ReportPublished'], toPosition, scan: true };
  for await (const record of store.readAll(1, options)) {
    const data = JSON.parse(record.data) as ReportPublished['data'];
    found.push({ eventId: record.eventId, position: record.position, recordedAt: record.recordedAt, publicationId: data.publicationId, report: data.report, seal: data.seal });
  }
  return found;
}

export class PublicationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublicationRefusedError';
  }
}

/**
 * Records a report in the log itself, sealed with the Merkle root of the log as it is
 * (every event up to the head, which the report's `logPosition` is within). The whole log is
 * verified first: a log that does not verify is not sealed. A publication id is used once
 * (its stream must not exist): a corrected report is a new publication.
 */
export async function publishReport(
  store: EventStore,
  report: ReportDocument,
  publication: { readonly publicationId: string; readonly eventId: string; readonly occurredAt: string },
): Promise<{ appended: AppendedEvent; seal: ReportPublished['data']['seal'] }> {
  // It names a stream: unchecked, it could be longer than a store can index.
  if (!PUBLICATION_ID.test(publication.publicationId)) throw new RangeError(`${PUBLICATION_ID_RULE} (got ${JSON.stringify(publication.publicationId.slice(0, 220))})`);
  const treeSize = (await store.head()).position;
  if (report.logPosition > treeSize) throw new PublicationRefusedError(`the report is of position ${report.logPosition}, beyond the head ${treeSize}`);
  const verification = await verifyLog(store, { toPosition: treeSize });
  if (!verification.ok || verification.checked !== treeSize) {
    throw new PublicationRefusedError(`the log does not verify, so it cannot be sealed: position ${verification.fault?.position}: ${verification.fault?.problem}`);
  }
  const seal = { treeSize, merkleRoot: verification.merkleRoot };
  const event: ReportPublished = {
    eventId: publication.eventId,
    type: 'ReportPublished',
    occurredAt: publication.occurredAt,
    data: { publicationId: publication.publicationId, report, seal },
  };
  const streamId = `publication-${publication.publicationId}`;
  const [appended] = await store.append({ events: [event], expectedRevisions: new Map([[streamId, 'no-stream']]) });
  if (!appended) throw new Error('the store appended nothing');
  return { appended, seal };
}
