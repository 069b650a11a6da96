import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalogueOf } from '@ledger/projection-kit';
import type { FigureSource } from '@ledger/projection-kit';
import type { AnyProjection } from '@ledger/projection-kit';
import { definitionsOf, figuresFrom, projectionsOf } from '@ledger/projection-kit';
import { graduationsSource } from '../../docs/examples/graduations/graduations.projection';
import { BASELINE_RULES, FIGURE_SOURCES } from '@ledger/projections';
import { isKpisFigureId } from '@ledger/events';

/** KPIS.md, the contract: in shared/domain beside the clone, or beside the folder of worktrees. */
function kpisMd(): string {
  for (let dir = join(__dirname, '..', '..'); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dirname(dir), 'shared', 'domain', 'KPIS.md');
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error('KPIS.md not found in shared/domain beside the clone or any folder above it (README: ../shared/domain)');
}

/**
 * The figure ids of KPIS.md's tables (version 1 and 2), as patterns: `<YYYY-MM>` a month, any
 * other `<placeholder>` one word of a list (its values are EVENTS.md's); a cell of the form
 * "`a.b.c` / `.d`" gives `a.b.d` too.
 */
function kpisIdPatterns(markdown: string): Array<{ readonly id: string; readonly pattern: RegExp }> {
  const tables = markdown.split('## The report document')[0] ?? '';
  const ids: string[] = [];
  for (const line of tables.split('\n')) {
    const cell = /^\| (`[^|]+) \|/.exec(line)?.[1];
    if (cell === undefined) continue;
    let last = '';
    for (const [, id = ''] of cell.matchAll(/`([^`]+)`/g)) {
      last = id.startsWith('.') ? last.slice(0, last.lastIndexOf('.')) + id : id;
      ids.push(last);
    }
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return ids.map((id) => ({
    id,
    pattern: new RegExp(`^${id.split(/(<[^>]+>)/).map((part) => (part === '<YYYY-MM>' ? '\\d{4}-\\d{2}' : part.startsWith('<') ? '[a-z-]+' : escape(part))).join('')}$`),
  }));
}

describe('the figure catalogue against KPIS.md', () => {
  const patterns = kpisIdPatterns(kpisMd());
  const catalogue = catalogueOf(definitionsOf(FIGURE_SOURCES), { from: '2020-01-01', to: '2020-12-31' });

  it('reads the figure ids of KPIS.md', () => {
    // Guards the parser: a table it stopped reading would make both checks below pass.
    expect(patterns.map((p) => p.id)).toEqual(
      expect.arrayContaining(['populations.<segment>.total', 'funding.<YYYY-MM>.self', 'international.english-path-underemployed', 'free-users.<status>', 'outcomes.cohort.no-declaration-180', 'commitments.<commitmentId>.attained']),
    );
  });

  it('declares only figure ids KPIS.md defines', () => {
    const undefinedIds = catalogue.figures.map((f) => f.id).filter((id) => !patterns.some((p) => p.pattern.test(id)));
    expect(undefinedIds).toEqual([]);
  });

  it('declares every figure id of KPIS.md (version 2), a commitment\'s aside: the log describes those', () => {
    const missing = patterns.filter((p) => !p.id.startsWith('commitments.') && !catalogue.figures.some((f) => p.pattern.test(f.id))).map((p) => p.id);
    expect(missing).toEqual([]);
  });

  it('knows, for a commitment, exactly the figure ids KPIS.md defines (libs/events isKpisFigureId)', () => {
    const ids = catalogue.figures.map((f) => f.id);
    expect(ids.filter((id) => !isKpisFigureId(id))).toEqual([]);
    // And nothing else: a sibling of a real id that KPIS.md does not define is refused.
    expect(['populations.all.total', 'free-users.female', 'mentors.registered.total', 'outcomes.cohort.declared-90'].filter(isKpisFigureId)).toEqual([]);
  });

  it.each([...FIGURE_SOURCES, graduationsSource].map((source, i): [string, FigureSource] => [`${i + 1}: ${source.projection.name}`, source]))(
    'family %s declares exactly the ids its figures give, in their order',
    (_, source) => {
      for (const period of [{ from: '2020-01-01', to: '2020-12-31' }, { from: '2020-02-02', to: '2020-02-20' }]) {
        const initial = new Map(projectionsOf([source]).map((p): [AnyProjection, unknown] => [p, p.initialState()]));
        const given = Object.keys(figuresFrom(source, { states: initial, knownAt: 0, knownAtMs: 0 }, period));
        expect(catalogueOf(source.catalogue, period).figures.map((f) => f.id)).toEqual(given);
      }
    },
  );

  it('gives each figure both labels, a unit, what it counts and a group it lists', () => {
    const groups = new Set(catalogue.groups.map((g) => g.id));
    for (const f of catalogue.figures) {
      expect([f.id, f.label.en.length > 0, f.label.fr.length > 0, f.counts.en.length > 0, groups.has(f.group)]).toEqual([f.id, true, true, true, true]);
    }
    expect(new Set(catalogue.figures.map((f) => f.id)).size).toBe(catalogue.figures.length);
  });

  it('says what each figure counts in French too, not the English copied: every family, the example and the commitments\' baselines', () => {
    const example = catalogueOf(graduationsSource.catalogue, { from: '2020-01-01', to: '2020-12-31' }).figures;
    const texts = [...catalogue.figures, ...example].map((f) => ({ id: f.id, counts: f.counts }));
    texts.push(...Object.entries(BASELINE_RULES).map(([kind, counts]) => ({ id: `commitments baseline ${kind}`, counts })));
    const untranslated = texts.filter((t) => typeof t.counts.fr !== 'string' || t.counts.fr.trim() === '' || t.counts.fr === t.counts.en).map((t) => t.id);
    expect(untranslated).toEqual([]);
  });
});
