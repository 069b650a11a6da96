import type { EventOf } from './projection';
import { defineProjection, plainJson } from './projection';
import { figureSource } from './figure-source';
import type { Period } from './period';

/**
 * Compile-time checks of the projection kit: tools/build.js type-checks this file, and each
 * `@ts-expect-error` fails the build when the line under it compiles (the check it shows is gone).
 */
type Count = { n: number };
const base = { name: 'types-test', version: 1, bitemporal: false, ...plainJson<Count>(), initialState: (): Count => ({ n: 0 }) };

// handles lists a type evolve does not take.
defineProjection({
  ...base,
  // @ts-expect-error -- CourseStarted is listed, evolve takes only PathEnded
  handles: ['PathEnded', 'CourseStarted'],
  retraction: { kind: 'none' },
  evolve: (state: Count, _event: EventOf<'PathEnded'>) => state,
});

// evolve takes a type handles does not list.
defineProjection({
  ...base,
  // @ts-expect-error -- evolve takes CourseStarted too
  handles: ['PathEnded'],
  retraction: { kind: 'none' },
  evolve: (state: Count, _event: EventOf<'PathEnded' | 'CourseStarted'>) => state,
});

// in-evolve needs EventRetracted among the handled types.
defineProjection({
  ...base,
  handles: ['PathEnded'],
  // @ts-expect-error -- no EventRetracted in handles
  retraction: { kind: 'in-evolve' },
  evolve: (state: Count) => state,
});

// A bitemporal projection's figures must take knownAt.
const bitemporal = defineProjection({ ...base, bitemporal: true, handles: ['PathEnded'], retraction: { kind: 'none' }, evolve: (state: Count) => state });
// @ts-expect-error -- the figures ignore knownAt
figureSource(bitemporal, { figures: (state: Count, _period: Period) => ({ n: state.n }), catalogue: [] });

describe('the projection kit types', () => {
  it('accepts a projection whose handles and evolve agree, and gives evolve the listed events only', () => {
    const fine = defineProjection({
      ...base,
      handles: ['PathEnded', 'CourseStarted'],
      retraction: { kind: 'retract', retract: (state: Count) => ({ n: state.n - 1 }) },
      evolve: (state, event) => ({ n: state.n + (event.type === 'PathEnded' ? 1 : 2) }),
    });
    expect(fine.handles).toEqual(['PathEnded', 'CourseStarted']);
    expect(fine.retraction.kind).toBe('retract');
    expect(figureSource(bitemporal, { figures: (state: Count, _period: Period, knownAt: number) => ({ n: state.n + knownAt }), catalogue: [] }).catalogue).toEqual([]);
  });
});
