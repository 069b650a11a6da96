import type { Figures } from '@ledger/projection-kit';

/**
 * Published figures in the shape of `reference-figures.json`: per period, `counts` that
 * must come out exactly, `shares` published rounded (a figure id or "a / b"), and
 * `approximately` figures the report gives as round numbers.
 */
export interface PublishedPeriod {
  readonly from: string;
  readonly to: string;
  readonly counts: Readonly<Record<string, number | null>>;
  readonly shares: Readonly<Record<string, number>>;
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

/** The decimals a share was published with; never fewer than two: the report prints whole percentages (0.3 is 30%). */
function decimalsOf(share: number): number {
  const text = String(share);
  const dot = text.indexOf('.');
  return Math.max(2, dot < 0 ? 0 : text.length - dot - 1);
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
  for (const [figure, value] of Object.entries(published.shares)) {
    const computed = valueOfExpression(figures, figure);
    // Strictly within half a unit of the last published decimal: it rounds to the published value under any rule.
    const matches = typeof computed === 'number' && Math.abs(computed - value) < 0.5 * 10 ** -decimalsOf(value);
    rows.push({ figure, kind: 'share', published: value, computed, matches });
  }
  for (const [figure, value] of Object.entries(published.approximately)) {
    const computed = figures[figure];
    rows.push({ figure, kind: 'approximately', published: value, computed, matches: typeof computed === 'number' && Math.abs(computed - value) <= APPROXIMATELY * value });
  }
  return rows;
}
