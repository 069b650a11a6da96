import type { Figures } from './figure-report';
import type { Period } from './period';

/**
 * Published figures in the shape of `reference-figures.json`: per period, `counts` that
 * must come out exactly, `shares` published rounded (a figure id or "a / b"), and
 * `approximately` figures the report gives as round numbers.
 */
export interface PublishedPeriod {
  readonly period: Period;
  readonly counts: Readonly<Record<string, number | null>>;
  /** Each share with the number of decimals it was published with. */
  readonly shares: Readonly<Record<string, { readonly value: number; readonly decimals: number }>>;
  readonly approximately: Readonly<Record<string, number>>;
}

export interface Comparison {
  readonly figure: string;
  readonly kind: 'count' | 'share' | 'approximately';
  readonly published: number | null;
  readonly computed: number | null | undefined;
  readonly matches: boolean;
}

/** Within this fraction of an "approximately" figure (a report's round number) is a match. */
export const APPROXIMATELY = 0.03;

/**
 * Reads published figures. Share decimals come from the text itself (`0.30` has two), as
 * JSON numbers lose them; a share is never read with fewer than two decimals, since the
 * report prints them as whole percentages.
 */
export function parsePublishedFigures(text: string): PublishedPeriod[] {
  const json = JSON.parse(text) as { periods: Array<{ from: string; to: string; counts?: Record<string, number | null>; shares?: Record<string, number>; approximately?: Record<string, number> }> };
  const decimalsOf = (expression: string): number => {
    const literal = new RegExp(`"${expression.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\s*:\\s*(-?\\d+(?:\\.(\\d+))?)`).exec(text);
    return Math.max(2, literal?.[2]?.length ?? 0);
  };
  return json.periods.map((p) => ({
    period: { from: p.from, to: p.to },
    counts: p.counts ?? {},
    shares: Object.fromEntries(Object.entries(p.shares ?? {}).map(([expression, value]) => [expression, { value, decimals: decimalsOf(expression) }])),
    approximately: p.approximately ?? {},
  }));
}

/** A figure id, or "a / b" of two figure ids; undefined when a figure is missing, null when undefined (0 / 0). */
export function valueOfExpression(figures: Figures, expression: string): number | null | undefined {
  const [a, b] = expression.split(' / ');
  const numerator = figures[a ?? ''];
  if (b === undefined) return numerator;
  const denominator = figures[b];
  if (numerator === undefined || denominator === undefined) return undefined;
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

/** Published figures next to the computed ones, each with whether it is reproduced. */
export function comparePublished(published: PublishedPeriod, figures: Figures): Comparison[] {
  const rows: Comparison[] = [];
  for (const [figure, value] of Object.entries(published.counts)) {
    const computed = figures[figure];
    rows.push({ figure, kind: 'count', published: value, computed, matches: computed === value });
  }
  for (const [figure, { value, decimals }] of Object.entries(published.shares)) {
    const computed = valueOfExpression(figures, figure);
    // Strictly within half a unit of the last published decimal: it rounds to the published value under any rule.
    const matches = typeof computed === 'number' && Math.abs(computed - value) < 0.5 * 10 ** -decimals;
    rows.push({ figure, kind: 'share', published: value, computed, matches });
  }
  for (const [figure, value] of Object.entries(published.approximately)) {
    const computed = figures[figure];
    rows.push({ figure, kind: 'approximately', published: value, computed, matches: typeof computed === 'number' && Math.abs(computed - value) <= APPROXIMATELY * value });
  }
  return rows;
}
