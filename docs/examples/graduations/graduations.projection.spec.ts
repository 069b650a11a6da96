import type { PathEnded } from '@ledger/events';
import { admitted, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { graduationsFigures, graduationsProjection } from './graduations.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
/** A PathEnded of any reason (the shared builder always graduates). */
const ended = (n: number, learnerId: string, admissionId: string, occurredAt: string, reason: PathEnded['data']['reason'] = 'graduated'): PathEnded => ({
  eventId: uuidOf(n),
  type: 'PathEnded',
  learnerId,
  occurredAt,
  data: { admissionId, reason },
});

describe('graduations projection (example of docs/adding-a-projection.md)', () => {
  it('counts paths ended per reason, and each graduate once', async () => {
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        admitted(1, 'a', 'A1'),
        admitted(2, 'a', 'A2'),
        admitted(3, 'b', 'B1'),
        admitted(4, 'c', 'C1'),
        ended(5, 'a', 'A1', '2020-03-01T10:00:00Z'),
        ended(6, 'a', 'A2', '2020-09-01T10:00:00Z'), // a second graduation: still one graduate
        ended(7, 'b', 'B1', '2020-05-01T10:00:00Z', 'withdrew'),
        ended(8, 'c', 'C1', '2021-01-01T00:30:00+01:00'), // 2020-12-31 in UTC: in 2020
      ])
      .knownAt('2021-03-15T00:00:00Z', graduationsProjection, (s) => graduationsFigures(s, year2020));
    expect(figures).toEqual({ 'graduations.graduates': 2, 'graduations.paths-ended.graduated': 3, 'graduations.paths-ended.withdrew': 1 });
  });

  it('differs as known before and after a retraction by exactly the retracted path end', async () => {
    // a graduated twice on the same day: retracting one graduation leaves the other, so a
    // stays a graduate (what the `history` of `retract` is for); b's only graduation goes.
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        admitted(1, 'a', 'A1'),
        admitted(2, 'a', 'A2'),
        admitted(3, 'b', 'B1'),
        ended(4, 'a', 'A1', '2020-06-30T09:00:00Z'),
        ended(5, 'a', 'A2', '2020-06-30T17:00:00Z'),
        ended(6, 'b', 'B1', '2020-07-01T10:00:00Z'),
      ])
      .recorded('2021-04-01T00:00:00Z', [retracted(7, 'a', uuidOf(4)), retracted(8, 'b', uuidOf(6))]);
    const before = await scenario.knownAt('2021-03-15T00:00:00Z', graduationsProjection, (s) => graduationsFigures(s, year2020));
    const after = await scenario.knownAt('2021-04-02T00:00:00Z', graduationsProjection, (s) => graduationsFigures(s, year2020));
    expect(before).toMatchObject({ 'graduations.graduates': 2, 'graduations.paths-ended.graduated': 3 });
    expect(after).toMatchObject({ 'graduations.graduates': 1, 'graduations.paths-ended.graduated': 1 });
  });

  it('counts a late path end from when it was recorded, in the period it occurred', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [admitted(1, 'a', 'A1'), admitted(2, 'b', 'B1'), ended(3, 'a', 'A1', '2020-06-30T10:00:00Z')])
      .recorded('2021-06-01T00:00:00Z', [ended(4, 'b', 'B1', '2020-06-15T10:00:00Z', 'withdrew')]);
    const published = await scenario.knownAt('2021-03-15T00:00:00Z', graduationsProjection, (s) => graduationsFigures(s, year2020));
    const now = await scenario.knownAt('2021-06-02T00:00:00Z', graduationsProjection, (s) => graduationsFigures(s, year2020));
    // As known at publication, the figure is what was published, whatever came later.
    expect(published['graduations.paths-ended.withdrew']).toBe(0);
    expect(now['graduations.paths-ended.withdrew']).toBe(1);
  });
});
