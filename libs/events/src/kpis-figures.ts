import { AUDIENCES, MOTIVATIONS, OUTCOMES, STATUSES, THEMES } from './catalog';

/**
 * Every figure id KPIS.md (version 2) defines, as patterns: what a `CommitmentSet` may name
 * (EVENTS.md v1.1). Kept beside the catalog because validation may import nothing else; the
 * catalogue of the registered families is checked against the same ids
 * (test/projections/kpis-catalogue.spec.ts), so the two cannot drift apart.
 */
const alt = (values: readonly string[]): string => `(?:${values.map((v) => v.replace(/[.-]/g, '\\$&')).join('|')})`;
const MONTH = '\\d{4}-(?:0[1-9]|1[0-2])';
const SEGMENT = alt(['paid-funded', 'employment-program', 'employer-funded']);
const STATUS = alt(STATUSES);

const PATTERNS: readonly string[] = [
  `populations\\.${SEGMENT}\\.(?:total|members|assessed-share|${STATUS})`,
  `populations\\.all\\.${STATUS}`,
  'populations\\.net-distinct',
  'impact\\.positive-progressions',
  `impact\\.by-outcome\\.${alt(OUTCOMES)}`,
  'impact\\.free-users',
  `funding\\.${MONTH}\\.(?:in-training|third-party|employment-program|self|funded-share)`,
  `partnerships\\.${alt(['apprenticeship', 'employer', 'employer-abroad', 'pse', 'total', 'partner-employers'])}`,
  'key\\.certificates',
  'key\\.courses-started',
  'key\\.courses-started\\.monthly-avg',
  `key\\.courses-started\\.${alt(THEMES)}`,
  `key\\.active-learners\\.(?:${MONTH}|monthly-avg)`,
  'key\\.women-share\\.free-users',
  'survey\\.responses',
  `survey\\.motivation\\.${alt(MOTIVATIONS)}`,
  `awareness\\.recipients\\.${alt(AUDIENCES)}`,
  `international\\.${alt(['admitted-learners', 'admitted-outside-france', 'english-path-learners', 'english-path-underemployed'])}`,
  `free-users\\.(?:total|assessed|disadvantaged|outside-france|${STATUS}|motivation\\.${alt(MOTIVATIONS)})`,
  `mentors\\.(?:registered|active|disadvantaged|${STATUS})`,
  'mentoring\\.(?:sessions|disadvantaged-learners)',
  `outcomes\\.cohort\\.(?:admissions|planned|graduated|graduated-on-time|graduated-150|withdrew|window-closed|declared-180|no-declaration-180|declared-180\\.${alt(OUTCOMES)})`,
];
const KPIS_FIGURE = new RegExp(`^(?:${PATTERNS.join('|')})$`);

/** Whether KPIS.md defines this figure id (a `commitments.*` one aside: a commitment measures another figure). */
export function isKpisFigureId(id: string): boolean {
  return KPIS_FIGURE.test(id);
}

/** A commitment's figure id for a year: `{year}` read as its four digits. */
export function figureOfYear(figure: string, year: number): string {
  return figure.split('{year}').join(String(year).padStart(4, '0'));
}
