import type { Status } from '@ledger/events';
import type { EventWindow, ExplainedEvent, OpenProvenance } from '@ledger/projection-runtime';
import type { CatalogueEntry, FigureDefinition, FigureUnit } from '@ledger/projection-kit';
import { catalogueOf } from '@ledger/projection-kit';
import type { DescribedReport, ReportDocument } from '@ledger/projection-runtime';
import type { TextChunks } from '@ledger/projection-runtime';
import { provenanceJson } from '@ledger/projection-runtime';
import type { Comparison } from '@ledger/projection-runtime';
import { monthsOf } from '@ledger/projection-kit';
import { BASELINE_RULES, SEGMENTS } from '@ledger/projections';
import { SEGMENT_LABELS, STATUS_LABELS } from '@ledger/projections';

export const REPORT_FORMATS = ['json', 'table', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** KPIS.md's document, as it is. */
export function formatJson(report: ReportDocument): string {
  return JSON.stringify(report, null, 2);
}

/**
 * One row per figure id (the column `figure`: ids are the contract a spreadsheet keys on),
 * in the catalogue's order, then any figure it does not name; an undefined figure (null) is
 * an empty cell.
 */
export function formatCsv(report: ReportDocument, definitions: readonly FigureDefinition[]): string {
  const catalogued = catalogueOf(definitions, report.period).figures.map((entry) => entry.id).filter((id) => Object.hasOwn(report.figures, id));
  const listed = new Set(catalogued);
  const ids = [...catalogued, ...Object.keys(report.figures).filter((id) => !listed.has(id))];
  const rows = ids.map((id) => `${id},${csvValue(report.figures[id])}`);
  return ['figure,value', ...rows].join('\n');
}

const csvValue = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

const count = (value: number | null | undefined, none = '-') =>
  value === null || value === undefined ? none : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const percent = (value: number | null | undefined) => (value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);
const share = (part: number | null | undefined, whole: number | null | undefined) =>
  part === null || part === undefined || !whole ? '-' : percent(part / whole);

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
function table(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd());
}

/** The columns of the published populations table, in its order (the report's, not the catalog's). */
const STATUSES: readonly Status[] = ['job-seeker', 'low-qualified', 'qpv-resident', 'disability', 'refugee'];

/** The groups the table lays out in sections of their own, as the published report does. */
const LAID_OUT = new Set(['populations', 'impact', 'funding', 'partnerships', 'key', 'survey', 'awareness', 'international', 'coverage', 'free-users', 'mentors', 'outcomes', 'commitments']);

/**
 * The report for a person: the populations table laid out as in the published report
 * ("n/c": not collected), then each lever, with the catalogue's labels. A display group no
 * section lays out (a KPI added since) gets a section from the catalogue: its title, then
 * its figures by label and unit. Figures no catalogue names are listed at the end, so
 * nothing computed is hidden.
 */
export function formatTable(report: ReportDocument, definitions: readonly FigureDefinition[]): string {
  const f = report.figures;
  const catalogue = catalogueOf(definitions, report.period);
  const inGroup = (group: string) => catalogue.figures.filter((entry) => entry.group === group);
  const value = (id: string, unit: FigureUnit) => (unit === 'share' ? percent(get(id)) : count(get(id)));
  /**
   * A figure as a row: its catalogue label and its value by unit; a part of another figure
   * also with its share of it, and under it (indented once more) when that one is a row too.
   */
  const rows = (entries: readonly CatalogueEntry[]) =>
    table(
      entries.map((entry) => {
        const cells = [value(entry.id, entry.unit)];
        if (entry.partOf === undefined) return [`  ${entry.label.en}`, ...cells];
        const under = entries.some((e) => e.id === entry.partOf);
        return [`${under ? '    ' : '  '}${entry.label.en}`, ...cells, share(f[entry.id], f[entry.partOf])];
      }),
    );
  // A section's headline figure is in its heading, not among its rows.
  const headline = (id: string) => (entry: CatalogueEntry) => entry.id !== id;
  const labelOf = (id: string) => catalogue.figures.find((entry) => entry.id === id)?.label.en ?? id;
  const funding = definitions.filter((d) => d.group.id === 'funding');
  const shown = new Set<string>();
  const get = (id: string) => {
    shown.add(id);
    return f[id];
  };
  /** A null count of these sections is a status no one was asked about: "n/c", never 0. */
  const ncRows = (entries: readonly CatalogueEntry[]) =>
    table(
      entries.map((entry) => {
        const shown = entry.unit === 'share' ? percent(get(entry.id)) : count(get(entry.id), 'n/c');
        if (entry.partOf === undefined) return [`  ${entry.label.en}`, shown];
        const under = entries.some((e) => e.id === entry.partOf);
        return [`${under ? '    ' : '  '}${entry.label.en}`, shown, share(f[entry.id], f[entry.partOf])];
      }),
    );
  const present = (group: string) => inGroup(group).filter((entry) => f[entry.id] !== undefined);
  function section(group: string, title: string, headline?: string): string[] {
    const entries = present(group);
    if (entries.length === 0) return [];
    const head = headline === undefined ? title : `${title}: ${count(get(headline))} ${labelOf(headline)}`;
    return ['', head, ...ncRows(headline === undefined ? entries : entries.filter((e) => e.id !== headline))];
  }
  function coverageSection(): string[] {
    if (!SEGMENTS.some((segment) => f[`populations.${segment}.members`] !== undefined)) return [];
    return [
      '',
      'DATA COVERAGE (Données disponibles: learners of each segment, and the share whose statuses were asked)',
      ...table([
        ['', 'Members', 'Statuses asked'],
        ...SEGMENTS.map((segment) => [SEGMENT_LABELS[segment].en, count(get(`populations.${segment}.members`)), percent(get(`populations.${segment}.assessed-share`))]),
      ]),
    ];
  }
  /** One row per commitment (the committee's "Levier / Objectif / Données disponibles / Résultats"); a null is said, never 0. */
  function commitmentsSection(): string[] {
    const targets = present('commitments').filter((entry) => entry.id.endsWith('.target'));
    if (targets.length === 0) return [];
    const shown = (id: string, unit: FigureUnit, none: string) => (get(id) === null ? none : value(id, unit));
    return [
      '',
      'COMMITMENTS (target, baseline and result as known at K; a missing value is said, never 0)',
      ...table([
        ['', 'Target', 'Baseline', 'Actual', 'Attained', 'Data'],
        ...targets.map((target) => {
          const id = target.id.slice(0, -'.target'.length);
          const baseline = catalogue.figures.find((e) => e.id === `${id}.baseline`);
          const growth = baseline?.counts.en === BASELINE_RULES['growth-at-least'].en;
          const baselineValue = f[`${id}.baseline`];
          const noBaseline = growth && (baselineValue === null || baselineValue === 0);
          const missing = f[`${id}.actual`] === null ? (noBaseline ? 'no baseline' : 'not collected') : 'available';
          const attained = get(`${id}.attained`);
          return [
            `  ${target.label.en} / ${target.label.fr}`,
            value(target.id, target.unit),
            // An at-least target has no baseline by definition: '-', not "no baseline".
            shown(`${id}.baseline`, baseline?.unit ?? 'count', growth ? 'no baseline' : '-'),
            shown(`${id}.actual`, target.unit, missing),
            attained === null || attained === undefined ? '-' : attained === 1 ? 'yes' : 'no',
            missing,
          ];
        }),
      ]),
    ];
  }
  const lines: string[] = [
    `Report ${report.period.from} to ${report.period.to}, as known at ${report.knownAt} (log position ${report.logPosition.toLocaleString('en-US')})`,
    '',
    'DISADVANTAGED POPULATIONS (learners; n/c: not collected)',
    ...table([
      ['', 'Total', ...STATUSES.map((s) => STATUS_LABELS[s].en)],
      ...SEGMENTS.map((segment) => [
        SEGMENT_LABELS[segment].en,
        count(get(`populations.${segment}.total`)),
        ...STATUSES.map((s) => count(get(`populations.${segment}.${s}`), 'n/c')),
      ]),
      ['TOTAL', '', ...STATUSES.map((s) => count(get(`populations.all.${s}`), 'n/c'))],
    ]),
    `${labelOf('populations.net-distinct')}: ${count(get('populations.net-distinct'))}`,
    // KPIS.md version 2, beside the populations table; each section only when the report has its figures.
    ...coverageSection(),
    ...section('free-users', 'FREE USERS OF THE PLATFORM (active, never admitted; n/c: not collected)', 'free-users.total'),
    ...section('mentors', 'MENTORS (n/c: not collected)'),
    '',
    `IMPACT: ${labelOf('impact.positive-progressions')}: ${count(get('impact.positive-progressions'))}`,
    ...rows(inGroup('impact').filter(headline('impact.positive-progressions'))),
    '',
    'FUNDING LEVER (learners in training at each month end)',
    ...table([['', ...funding.map((d) => d.label.en)], ...monthsOf(report.period).map((m) => [m, ...funding.map((d) => value(d.id.replace('{month}', m), d.unit))])]),
    '',
    'CORPORATE PARTNERSHIPS (distinct learners)',
    ...rows(inGroup('partnerships')),
    '',
    'KEY FIGURES',
    ...rows(inGroup('key')),
    '',
    `SIGNUP SURVEY: ${count(get('survey.responses'))} ${labelOf('survey.responses')}`,
    ...rows(inGroup('survey').filter(headline('survey.responses'))),
    '',
    'AWARENESS (recipients of outreach, by audience)',
    ...rows(inGroup('awareness')),
    '',
    'INTERNATIONAL (distinct learners)',
    ...rows(inGroup('international')),
    ...section('outcomes', 'OUTCOMES BY ADMISSION COHORT (admissions of the period; an outcome no one declared is not a placement)'),
    ...commitmentsSection(),
  ];
  // A group no section above lays out (a KPI added since): its title, then its figures by label and unit.
  for (const group of catalogue.groups.filter((g) => !LAID_OUT.has(g.id))) {
    const entries = inGroup(group.id).filter((entry) => f[entry.id] !== undefined);
    if (entries.length > 0) lines.push('', group.title.en.toUpperCase(), ...rows(entries));
  }
  const others = Object.keys(f).filter((id) => !shown.has(id));
  if (others.length > 0) lines.push('', 'OTHER FIGURES', ...table(others.map((id) => [`  ${id}`, count(f[id])])));
  return lines.join('\n');
}

/**
 * A year's commitments as known at two moments (a published report, now): each one's label
 * and target at both, so a target the committee revised since publication shows, with its
 * new label. A commitment set since publication shows as such.
 */
export function formatCommitmentRevisions(before: DescribedReport, after: DescribedReport): string {
  const targetsOf = (described: DescribedReport) =>
    new Map(
      catalogueOf(described.definitions, described.report.period)
        .figures.filter((entry) => entry.group === 'commitments' && entry.id.endsWith('.target') && described.report.figures[entry.id] !== undefined)
        .map((entry) => [entry.id, entry]),
    );
  const was = targetsOf(before);
  const is = targetsOf(after);
  const ids = [...new Set([...was.keys(), ...is.keys()])].sort();
  const shown = (described: DescribedReport, entry: CatalogueEntry | undefined) =>
    entry === undefined ? 'not set' : entry.unit === 'share' ? percent(described.report.figures[entry.id]) : count(described.report.figures[entry.id]);
  let revised = 0;
  const rows = ids.map((id) => {
    const old = was.get(id);
    const current = is.get(id);
    const changed = old === undefined || current === undefined || before.report.figures[id] !== after.report.figures[id] || old.label.en !== current.label.en;
    if (changed) revised += 1;
    const labelled = old ?? current;
    const note = !changed ? '' : old === undefined ? 'set since' : current === undefined ? 'withdrawn since' : `revised: ${current.label.en} / ${current.label.fr}`;
    return [`  ${labelled?.label.en ?? id} / ${labelled?.label.fr ?? ''}`, shown(before, old), shown(after, current), note];
  });
  const year = after.report.period.from.slice(0, 4);
  if (ids.length === 0) return `${year} commitments: none set as known at ${before.report.knownAt} or now`;
  return [
    `${year} commitments as known at ${before.report.knownAt} (log position ${before.report.logPosition.toLocaleString('en-US')}) against as known now (position ${after.report.logPosition.toLocaleString('en-US')}): ${revised} of ${ids.length} revised or set since`,
    ...table([['', 'Target then', 'Target now', ''], ...rows]),
  ].join('\n');
}

/** Published figures next to the computed ones; `=` reproduced, `X` not. */
export function formatComparison(rows: readonly Comparison[]): string {
  const show = (row: Comparison, value: number | null | undefined) =>
    value === undefined ? 'missing' : row.kind === 'share' ? (value === null ? 'null' : value.toFixed(5)) : count(value, 'null');
  const body = table([
    ['figure', 'published', 'computed', ''],
    ...rows.map((row) => [row.figure, row.kind === 'approximately' ? `~${count(row.published)}` : show(row, row.published), show(row, row.computed), row.matches ? '=' : 'X']),
  ]);
  const reproduced = rows.filter((r) => r.matches).length;
  return [...body, `${reproduced} of ${rows.length} published figures reproduced`].join('\n');
}

export function formatReport(report: ReportDocument, format: ReportFormat, definitions: readonly FigureDefinition[]): string {
  return format === 'json' ? formatJson(report) : format === 'csv' ? formatCsv(report, definitions) : formatTable(report, definitions);
}


const EVENT_COLUMNS = ['position', 'eventId', 'type', 'learnerId', 'occurredAt', 'recordedAt'] as const;

// An erased event (docs/erasure.md): its position, type and leaf stay; its id, learner and time are gone, and the row says so.
const eventRow = (e: ExplainedEvent, separator: string) =>
  e.erased === true
    ? EVENT_COLUMNS.map((c) => (c === 'eventId' ? `erased (leaf ${e.leaf ?? '-'})` : c === 'learnerId' || c === 'occurredAt' ? 'erased' : String(e[c] ?? ''))).join(separator)
    : EVENT_COLUMNS.map((c) => String(e[c] ?? '')).join(separator);

/** The rows of each page of events, as they are read. */
async function* eventRows(opened: OpenProvenance, window: EventWindow, separator: string, end: (eventCount: number, listed: number, next: number | null) => string): TextChunks {
  const pages = opened.pages(window);
  let listed = 0;
  for (;;) {
    const step = await pages.next();
    if (step.done) {
      yield end(step.value.eventCount, listed, step.value.next);
      return;
    }
    listed += step.value.length;
    yield step.value.map((e) => `${eventRow(e, separator)}\n`).join('');
  }
}

/**
 * A figure's provenance for a person: its value and rule, the events as they are read (in
 * log order), and how many make the figure, at the end (counting them is reading them).
 */
export async function* provenanceTable(opened: OpenProvenance, window: EventWindow): TextChunks {
  const p = opened.head;
  yield [
    `${p.figure} = ${p.value === null ? 'null' : p.value} for ${p.period.from} to ${p.period.to}, as known at ${p.knownAt} (log position ${p.logPosition})`,
    `counts: ${p.rule}`,
    ...(opened.eventCount === undefined ? [] : [`${opened.eventCount} events:`]),
    `${EVENT_COLUMNS.join('  ')}\n`,
  ].join('\n');
  yield* eventRows(opened, window, '  ', (eventCount, listed, next) => {
    const part = listed < eventCount ? `, ${listed} listed${window.after ? ` after position ${window.after}` : ''}` : '';
    return `${eventCount} events make the figure${part}, in log order${next === null ? '' : `; the next ones: --after ${next}`}\n`;
  });
}

/** One row per event, under a header; the count is the number of rows (all of them unless --limit or --after). */
export async function* provenanceCsv(opened: OpenProvenance, window: EventWindow): TextChunks {
  yield `${EVENT_COLUMNS.join(',')}\n`;
  yield* eventRows(opened, window, ',', () => '');
}

/** `ledger explain` in each format, written as the events are read. */
export function formatProvenance(opened: OpenProvenance, window: EventWindow, format: ReportFormat): TextChunks {
  return format === 'json' ? provenanceJson(opened, window) : format === 'csv' ? provenanceCsv(opened, window) : provenanceTable(opened, window);
}
