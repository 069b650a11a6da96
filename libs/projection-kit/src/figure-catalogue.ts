import type { Period } from './period';
import { monthsOf } from './period';

/** How a figure's value reads: a whole count, a share in [0, 1] (exact, shown as a percent), or a mean. */
export type FigureUnit = 'count' | 'share' | 'average';

/** A text in each language the ledger speaks. */
export interface Labels {
  readonly en: string;
  readonly fr: string;
}

/** Where a figure is shown: the section of the report (CLI table, dashboard) it belongs to. */
export interface DisplayGroup {
  readonly id: string;
  readonly title: Labels;
}

/**
 * One figure id of a family, or one per month of the period: `{month}` in `id`, `label`
 * and `counts` stands for each month (YYYY-MM) of the period (`monthsOf`).
 */
export interface FigureDefinition {
  readonly id: string;
  readonly label: Labels;
  readonly unit: FigureUnit;
  /** What it counts, in words, in each language: the English is the `rule` its provenance gives (`ledger explain`). */
  readonly counts: Labels;
  readonly group: DisplayGroup;
  /** The figure this one is a part of (a theme of the courses started): shown under it, with its share of it. */
  readonly partOf?: string;
}

/** A figure of the catalogue for a period: its concrete id, label and rule. What `GET /figures` lists. */
export interface CatalogueEntry {
  readonly id: string;
  readonly label: Labels;
  readonly unit: FigureUnit;
  readonly counts: Labels;
  readonly group: string;
  readonly partOf?: string;
}

export interface FigureCatalogue {
  readonly groups: readonly DisplayGroup[];
  readonly figures: readonly CatalogueEntry[];
}

const MONTH = '{month}';

function resolved(definition: FigureDefinition, month: string | undefined): CatalogueEntry {
  const fill = (text: string) => (month === undefined ? text : text.split(MONTH).join(month));
  const entry = {
    id: fill(definition.id),
    label: { en: fill(definition.label.en), fr: fill(definition.label.fr) },
    unit: definition.unit,
    counts: { en: fill(definition.counts.en), fr: fill(definition.counts.fr) },
    group: definition.group.id,
  };
  return definition.partOf === undefined ? entry : { ...entry, partOf: fill(definition.partOf) };
}

/**
 * The concrete figures of these definitions for a period, in their order, which is the
 * report's: a run of per-month definitions one after the other is given month by month
 * (`funding.2020-01.in-training`, `funding.2020-01.third-party`, ..., then 2020-02).
 */
export function catalogueOf(definitions: readonly FigureDefinition[], period: Period): FigureCatalogue {
  const groups = new Map<string, DisplayGroup>();
  const figures: CatalogueEntry[] = [];
  const months = monthsOf(period);
  for (let i = 0; i < definitions.length; ) {
    const first = definitions[i];
    if (!first) break;
    groups.set(first.group.id, first.group);
    if (!first.id.includes(MONTH)) {
      figures.push(resolved(first, undefined));
      i += 1;
      continue;
    }
    let end = i + 1;
    while (definitions[end]?.id.includes(MONTH)) end += 1;
    const run = definitions.slice(i, end);
    for (const definition of run) groups.set(definition.group.id, definition.group);
    for (const month of months) for (const definition of run) figures.push(resolved(definition, month));
    i = end;
  }
  return { groups: [...groups.values()], figures };
}

/** The definition of a concrete figure id, resolved; undefined for an id no definition makes. */
export function figureEntry(definitions: readonly FigureDefinition[], id: string): CatalogueEntry | undefined {
  for (const definition of definitions) {
    if (!definition.id.includes(MONTH)) {
      if (definition.id === id) return resolved(definition, undefined);
      continue;
    }
    const [before = '', after = ''] = definition.id.split(MONTH);
    const month = id.startsWith(before) && id.endsWith(after) ? id.slice(before.length, id.length - after.length) : '';
    if (/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return resolved(definition, month);
  }
  return undefined;
}
