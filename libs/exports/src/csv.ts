import type { EventWindow, ExplainedEvent, OpenProvenance, TextChunks } from '@ledger/projection-runtime';
import type { ReportExport } from './report-export';
import { exportContext, exportSections } from './report-export';

/** RFC 4180's line break. */
export const CRLF = '\r\n';

/**
 * One field as RFC 4180 writes it: quoted (its quotes doubled) when it holds a comma, a quote,
 * a line break, or a `#` (which a reader told to skip comment lines would take for one).
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n#]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}${CRLF}`;
}

/** The first preamble line's value: what the file is, and the version of its layout. */
export const REPORT_CSV_FORMAT = 'impact-ledger-report/1';
export const PROVENANCE_CSV_FORMAT = 'impact-ledger-provenance/1';

/** The columns of the report's CSV, in order. */
export const REPORT_CSV_COLUMNS = ['section', 'figure', 'label_fr', 'label_en', 'unit', 'value', 'counts_fr', 'counts_en'] as const;

/**
 * A preamble line: `#` then the key, then its value, as one RFC 4180 record (`# period,...`).
 * A value of several lines (the signed checkpoint) is one line each, under the same key, so
 * that every preamble line is a line of the file: a reader skipping comment lines skips it
 * whole, and the note is its lines joined by LF (its last one ends with LF too).
 */
function preamble(x: ReportExport): string {
  let text = `# ${csvRecord(['format', REPORT_CSV_FORMAT])}`;
  for (const line of exportContext(x)) {
    const value = String(line.value);
    const parts = line.key === 'checkpoint' ? value.replace(/\n$/, '').split('\n') : [value];
    for (const part of parts) text += `# ${csvRecord([line.key, part]).slice(0, -CRLF.length)}${CRLF}`;
  }
  return text;
}

/**
 * The report as CSV (RFC 4180: CRLF, quoted where needed, UTF-8 with a byte order mark so that
 * a spreadsheet reads the accents): the preamble (`# key,value` lines: the period, the known-at
 * moment, the log position, and for a publication its seal and checkpoint), then a header and
 * one record per figure, section by section. A value is the number as the document gives it
 * (a share in [0, 1]); an undefined figure is an empty field, never 0.
 */
export function reportCsv(x: ReportExport): string {
  let text = `\uFEFF${preamble(x)}${csvRecord(REPORT_CSV_COLUMNS)}`;
  for (const section of exportSections(x)) {
    for (const row of section.rows) {
      text += csvRecord([section.id, row.id, row.label.fr, row.label.en, row.unit, row.value, row.counts.fr, row.counts.en]);
    }
  }
  return text;
}

export const PROVENANCE_CSV_COLUMNS = ['position', 'eventId', 'type', 'learnerId', 'occurredAt', 'recordedAt', 'erased', 'leaf'] as const;

function eventRecord(e: ExplainedEvent): string {
  return csvRecord([e.position, e.eventId, e.type, e.learnerId, e.occurredAt, e.recordedAt, e.erased === true ? 'true' : '', e.leaf]);
}

/**
 * A figure's provenance as CSV, written as the events are read (bounded memory): the preamble
 * (`# figure`, `# value`, `# rule`, the period, the moment, the log position), a header, one
 * record per event in log order, then `# eventCount,<n>` and `# next,<cursor>` (empty on the
 * last page). An erased event keeps its position, type and leaf; `erased` says so.
 */
export async function* provenanceCsvExport(opened: OpenProvenance, window: EventWindow): TextChunks {
  const h = opened.head;
  const context: ReadonlyArray<readonly [string, string | number | null]> = [
    ['figure', h.figure],
    ['value', h.value],
    ['rule', h.rule],
    ['from', h.period.from],
    ['to', h.period.to],
    ['knownAt', h.knownAt],
    ['logPosition', h.logPosition],
  ];
  yield `\uFEFF# ${csvRecord(['format', PROVENANCE_CSV_FORMAT])}${context.map(([key, value]) => `# ${csvRecord([key, value])}`).join('')}${csvRecord(PROVENANCE_CSV_COLUMNS)}`;
  const pages = opened.pages(window);
  for (;;) {
    const step = await pages.next();
    if (step.done) {
      yield `# ${csvRecord(['eventCount', step.value.eventCount])}# ${csvRecord(['next', step.value.next])}`;
      return;
    }
    let chunk = '';
    for (const event of step.value) chunk += eventRecord(event);
    yield chunk;
  }
}

/** The file name of a provenance export: the figure, the period and the moment. */
export function provenanceFileName(figure: string, period: { readonly from: string; readonly to: string }, knownAt: string): string {
  return `explain_${figure.replace(/[^A-Za-z0-9._-]/g, '_')}_${period.from}_${period.to}_known-at-${knownAt.replace(/:/g, '-')}.csv`;
}
