import type { EventIngestor } from './event-ingestor';
import { EventsRejectedError } from './event-ingestor';
import { readNdjsonFile } from './ndjson-file';

export interface ImportSummary {
  readonly events: number;
  readonly appended: number;
  readonly alreadyPresent: number;
  /** Positions of the first and last appended events, when any was appended. */
  readonly positions?: { readonly first: number; readonly last: number };
}

export interface ImportProgress {
  phase(name: 'reading' | 'checking' | 'writing', total: number): void;
  advance(done: number): void;
}

/**
 * Imports an NDJSON file all or nothing: the whole file is read and checked before
 * anything is written, and then written in one atomic append. Re-importing the same file
 * appends nothing (every event is already present). Errors name the file line.
 */
export async function importNdjsonFile(
  path: string,
  ingestor: EventIngestor,
  progress?: ImportProgress,
): Promise<ImportSummary> {
  progress?.phase('reading', 0);
  const { raws, lines } = await readNdjsonFile(path);
  progress?.phase('checking', raws.length);
  try {
    const outcomes = await ingestor.ingest(raws, {
      onChecked: (n) => progress?.advance(n),
      onWriting: () => progress?.phase('writing', raws.length),
    });
    const appended = outcomes.filter((o) => o.status === 'appended');
    const first = appended[0];
    const last = appended[appended.length - 1];
    return {
      events: outcomes.length,
      appended: appended.length,
      alreadyPresent: outcomes.length - appended.length,
      ...(first && last ? { positions: { first: first.position, last: last.position } } : {}),
    };
  } catch (error) {
    if (!(error instanceof EventsRejectedError)) throw error;
    throw new EventsRejectedError(
      error.kind,
      error.errors.map((e) => (e.line === undefined && lines[e.index] !== undefined ? { ...e, line: lines[e.index] } : e)),
    );
  }
}
