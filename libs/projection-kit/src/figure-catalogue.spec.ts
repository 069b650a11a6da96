import type { DisplayGroup, FigureDefinition } from './figure-catalogue';
import { catalogueOf, figureEntry } from './figure-catalogue';

const LEVER: DisplayGroup = { id: 'lever', title: { en: 'Lever', fr: 'Levier' } };
const OTHER: DisplayGroup = { id: 'other', title: { en: 'Other', fr: 'Autre' } };
const definition = (id: string, group = LEVER, partOf?: string): FigureDefinition => ({
  id,
  label: { en: `${id} (en)`, fr: `${id} (fr)` },
  unit: 'count',
  counts: { en: `what ${id} counts`, fr: `ce que ${id} compte` },
  group,
  ...(partOf === undefined ? {} : { partOf }),
});

describe('the figure catalogue', () => {
  const definitions = [definition('x.total'), definition('x.{month}.a'), definition('x.{month}.b', LEVER, 'x.{month}.a'), definition('y.count', OTHER)];

  it('gives a run of per-month definitions month by month, as a report orders its figures', () => {
    const catalogue = catalogueOf(definitions, { from: '2020-01-15', to: '2020-03-01' });
    expect(catalogue.figures.map((f) => f.id)).toEqual(['x.total', 'x.2020-02.a', 'x.2020-02.b', 'x.2020-03.a', 'x.2020-03.b', 'y.count']);
    expect(catalogue.groups.map((g) => g.id)).toEqual(['lever', 'other']);
    expect(catalogue.figures[2]).toEqual({ id: 'x.2020-02.b', label: { en: 'x.2020-02.b (en)', fr: 'x.2020-02.b (fr)' }, unit: 'count', counts: { en: 'what x.2020-02.b counts', fr: 'ce que x.2020-02.b compte' }, group: 'lever', partOf: 'x.2020-02.a' });
  });

  it('lists no per-month figure for a period that holds no first day of a month', () => {
    expect(catalogueOf(definitions, { from: '2020-01-02', to: '2020-01-31' }).figures.map((f) => f.id)).toEqual(['x.total', 'y.count']);
  });

  it('finds the definition of a concrete id, a month filled in, and none for an id it does not make', () => {
    expect(figureEntry(definitions, 'x.2021-12.a')?.counts).toEqual({ en: 'what x.2021-12.a counts', fr: 'ce que x.2021-12.a compte' });
    expect(figureEntry(definitions, 'y.count')?.label.fr).toBe('y.count (fr)');
    for (const id of ['x.2021-13.a', 'x.2021-1.a', 'x..a', 'x.total.a', 'z']) expect([id, figureEntry(definitions, id)]).toEqual([id, undefined]);
  });
});
