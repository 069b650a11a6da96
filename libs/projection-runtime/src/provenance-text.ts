import type { EventWindow, ExplainedEvent, OpenProvenance } from './explain';

/**
 * A provenance as text, chunk by chunk, written as its events are read: a page of the log
 * at a time, never the whole list in memory (a count of courses started is millions of
 * events). The writer (stdout, an HTTP response) takes each chunk when it has room for it.
 */
export type TextChunks = AsyncGenerator<string, void>;

/**
 * KPIS.md's provenance document (`figure`, `value`, `rule`, `period`, `knownAt`,
 * `logPosition`, `eventCount`, `events`, `next`), as `JSON.stringify(document, null, indent)`
 * would lay it out, but streamed. `eventCount` comes before the events when it is known
 * without reading them, after them otherwise (a scan counts them as it lists them).
 */
export async function* provenanceJson(opened: OpenProvenance, window: EventWindow, indent: 0 | 2 = 2): TextChunks {
  const nl = indent === 0 ? '' : '\n';
  const pad = ' '.repeat(indent);
  const colon = indent === 0 ? ':' : ': ';
  const head = opened.eventCount === undefined ? opened.head : { ...opened.head, eventCount: opened.eventCount };
  const opening = JSON.stringify(head, null, indent);
  yield `${opening.slice(0, opening.length - 1 - nl.length)},${nl}${pad}"events"${colon}[`;
  const item = indent === 0 ? (e: ExplainedEvent) => JSON.stringify(e) : prettyEvent;
  const pages = opened.pages(window);
  let listed = 0;
  for (;;) {
    const step = await pages.next();
    if (step.done) {
      const end = step.value;
      const count = opened.eventCount === undefined ? `,${nl}${pad}"eventCount"${colon}${end.eventCount}` : '';
      yield `${listed > 0 ? `${nl}${pad}` : ''}]${count},${nl}${pad}"next"${colon}${JSON.stringify(end.next)}${nl}}\n`;
      return;
    }
    let chunk = '';
    for (const event of step.value) chunk += `${listed++ > 0 ? ',' : ''}${nl}${pad}${pad}${item(event)}`;
    yield chunk;
  }
}

/**
 * The provenance as NDJSON: a first line with the head (`figure` ... `logPosition`, and
 * `eventCount` when known before the events), one line per event in log order, and a last
 * line `{ eventCount, next }`. A stream without that last line was cut short.
 */
export async function* provenanceNdjson(opened: OpenProvenance, window: EventWindow): TextChunks {
  yield `${JSON.stringify(opened.eventCount === undefined ? opened.head : { ...opened.head, eventCount: opened.eventCount })}\n`;
  const pages = opened.pages(window);
  for (;;) {
    const step = await pages.next();
    if (step.done) {
      yield `${JSON.stringify({ eventCount: step.value.eventCount, next: step.value.next })}\n`;
      return;
    }
    let chunk = '';
    for (const event of step.value) chunk += `${JSON.stringify(event)}\n`;
    yield chunk;
  }
}

/** `JSON.stringify(event, null, 2)` as an element of `events` (indented by 4): the same text, built directly (millions of them). */
function prettyEvent(e: ExplainedEvent): string {
  const s = JSON.stringify;
  if (e.erased === true) return JSON.stringify(e, null, 2).replace(/\n/g, '\n    ');
  return (
    `{\n      "position": ${e.position},\n      "eventId": ${s(e.eventId)},\n      "type": ${s(e.type)},\n      "learnerId": ${s(e.learnerId)},` +
    `\n      "occurredAt": ${s(e.occurredAt)},\n      "recordedAt": ${s(e.recordedAt)}\n    }`
  );
}
