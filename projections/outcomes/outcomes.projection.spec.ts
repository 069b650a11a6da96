import { figureSource } from '@ledger/projection-kit';
import { outcomeReported, pathEndedFor, plannedAdmission, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { addUtcMonths, explainOutcomes, outcomesCatalogue, outcomesFigures, outcomesProjection } from './outcomes.projection';

const source = figureSource(outcomesProjection, { figures: outcomesFigures, explain: explainOutcomes, catalogue: outcomesCatalogue });
const year2020 = { from: '2020-01-01', to: '2020-12-31' };

describe('outcomes by admission cohort (KPIS.md v2, CIRR-style)', () => {
  it('adds calendar months in UTC keeping the time of day; a missing day becomes the month end', () => {
    expect(new Date(addUtcMonths(Date.parse('2020-01-31T10:30:00Z'), 1)).toISOString()).toBe('2020-02-29T10:30:00.000Z');
    expect(new Date(addUtcMonths(Date.parse('2019-01-31T10:30:00Z'), 1)).toISOString()).toBe('2019-02-28T10:30:00.000Z');
    expect(new Date(addUtcMonths(Date.parse('2020-11-15T23:00:00Z'), 3)).toISOString()).toBe('2021-02-15T23:00:00.000Z');
    expect(new Date(addUtcMonths(Date.parse('2020-03-31T00:00:00Z'), 18)).toISOString()).toBe('2021-09-30T00:00:00.000Z');
  });

  it('puts an admission in the cohort of the UTC day it occurred (time zones, year edge)', async () => {
    // 2021-01-01T00:30+01:00 is 2020-12-31T23:30Z: 2020's cohort; 2020-01-01T00:30+01:00 is 2019's.
    const scenario = given().recorded('2021-02-01T00:00:00Z', [
      plannedAdmission(1, 'a', '2021-01-01T00:30:00+01:00', 6),
      plannedAdmission(2, 'b', '2020-01-01T00:30:00+01:00', 6),
    ]);
    const { figures } = await scenario.report('2021-02-01T00:00:00Z', source, year2020);
    expect(figures['outcomes.cohort.admissions']).toBe(1);
  });

  it('graduated on time at exactly admission + plannedMonths, within 150 % with 15 more days for an odd length', async () => {
    const scenario = given().recorded('2022-06-01T00:00:00Z', [
      // 6 months: on time until 2020-07-31T09:00Z (31 Jan + 6 = 31 Jul); 150 %: 9 months.
      plannedAdmission(1, 'a', '2020-01-31T09:00:00Z', 6),
      pathEndedFor(2, 'a', 'A1', '2020-07-31T09:00:00Z'),
      plannedAdmission(3, 'b', '2020-01-31T09:00:00Z', 6),
      pathEndedFor(4, 'b', 'A3', '2020-07-31T09:00:00.001Z'),
      // 5 months: 150 % is ⌊7.5⌋ = 7 months + 15 days = 2020-08-16T09:00Z (from 1 Jan 09:00Z).
      plannedAdmission(5, 'c', '2020-01-01T09:00:00Z', 5),
      pathEndedFor(6, 'c', 'A5', '2020-08-16T09:00:00Z'),
      plannedAdmission(7, 'd', '2020-01-01T09:00:00Z', 5),
      pathEndedFor(8, 'd', 'A7', '2020-08-16T09:00:01Z'),
    ]);
    const { figures } = await scenario.report('2022-06-01T00:00:00Z', source, year2020);
    expect(figures).toMatchObject({
      'outcomes.cohort.admissions': 4,
      'outcomes.cohort.planned': 4,
      'outcomes.cohort.graduated': 4,
      'outcomes.cohort.graduated-on-time': 1,
      'outcomes.cohort.graduated-150': 3,
    });
  });

  it('takes the earliest graduation; a first PathEnded withdrew counts as withdrew, and as graduated by a later one', async () => {
    const scenario = given().recorded('2022-06-01T00:00:00Z', [
      plannedAdmission(1, 'a', '2020-02-01T09:00:00Z', 12),
      pathEndedFor(2, 'a', 'A1', '2020-05-01T00:00:00Z', 'withdrew'),
      pathEndedFor(3, 'a', 'A1', '2021-01-15T00:00:00Z'),
      pathEndedFor(4, 'a', 'A1', '2020-12-01T00:00:00Z'),
    ]);
    const { figures, explanation } = await scenario.report('2022-06-01T00:00:00Z', source, year2020, 'outcomes.cohort.withdrew');
    expect(figures).toMatchObject({ 'outcomes.cohort.withdrew': 1, 'outcomes.cohort.graduated': 1, 'outcomes.cohort.graduated-on-time': 1 });
    // The admission and its first PathEnded (withdrew).
    expect(explanation?.evidence).toEqual({ kind: 'positions', positions: [1, 2] });
  });

  it('never counts a window still open at K as "no declaration"; once closed, counts declarations inside it only', async () => {
    const scenario = given().recorded('2021-01-05T00:00:00Z', [
      plannedAdmission(1, 'a', '2020-01-10T09:00:00Z', 6),
      pathEndedFor(2, 'a', 'A1', '2020-07-01T12:00:00Z'),
      plannedAdmission(3, 'b', '2020-01-10T09:00:00Z', 6),
      pathEndedFor(4, 'b', 'A3', '2020-07-01T12:00:00Z'),
      // a declares inside the window (ends 2020-12-28T12:00Z, exclusive); b only after it.
      outcomeReported(5, 'a', '2020-12-28T11:59:59Z', 'promotion'),
      outcomeReported(6, 'b', '2020-12-28T12:00:00Z'),
      // c graduates later: the window is still open at every K asked below.
      plannedAdmission(7, 'c', '2020-03-01T09:00:00Z', 6),
      pathEndedFor(8, 'c', 'A7', '2020-11-01T00:00:00Z'),
    ]);
    const before = await scenario.report('2021-01-05T00:00:00Z', source, year2020);
    // Windows of a and b close at 2020-12-28T12:00Z, before K; c's is open: in none of the 180-day figures.
    expect(before.figures).toMatchObject({
      'outcomes.cohort.graduated': 3,
      'outcomes.cohort.window-closed': 2,
      'outcomes.cohort.declared-180': 1,
      'outcomes.cohort.declared-180.promotion': 1,
      'outcomes.cohort.declared-180.new-job': 0,
      'outcomes.cohort.no-declaration-180': 1,
    });
    const open = await given()
      .recorded('2020-12-20T00:00:00Z', [plannedAdmission(1, 'a', '2020-01-10T09:00:00Z', 6), pathEndedFor(2, 'a', 'A1', '2020-07-01T12:00:00Z')])
      .report('2020-12-28T11:59:59.999Z', source, year2020);
    expect(open.figures).toMatchObject({ 'outcomes.cohort.graduated': 1, 'outcomes.cohort.window-closed': 0, 'outcomes.cohort.no-declaration-180': 0 });
  });

  it('counts a late declaration from its recordedAt on, and a retraction only from its own', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [plannedAdmission(1, 'a', '2020-01-10T09:00:00Z', 6), pathEndedFor(2, 'a', 'A1', '2020-07-01T12:00:00Z')])
      .recorded('2021-03-01T00:00:00Z', [outcomeReported(3, 'a', '2020-09-01T00:00:00Z')])
      .recorded('2021-04-01T00:00:00Z', [retracted(4, 'a', uuidOf(3), '2021-03-31T00:00:00Z')]);
    const published = await scenario.report('2021-02-01T00:00:00Z', source, year2020);
    const late = await scenario.report('2021-03-15T00:00:00Z', source, year2020, 'outcomes.cohort.declared-180.new-job');
    const gone = await scenario.report('2021-04-02T00:00:00Z', source, year2020);
    expect(published.figures).toMatchObject({ 'outcomes.cohort.declared-180': 0, 'outcomes.cohort.no-declaration-180': 1 });
    expect(late.figures).toMatchObject({ 'outcomes.cohort.declared-180': 1, 'outcomes.cohort.no-declaration-180': 0 });
    // The admission, the graduation and the declaration that counts.
    expect(late.explanation?.evidence).toEqual({ kind: 'positions', positions: [1, 2, 3] });
    expect(gone.figures).toMatchObject({ 'outcomes.cohort.declared-180': 0, 'outcomes.cohort.no-declaration-180': 1 });
  });

  it('counts a learner admitted twice in the cohort twice; a retracted admission not at all', async () => {
    const scenario = given().recorded('2021-01-05T00:00:00Z', [
      plannedAdmission(1, 'a', '2020-02-01T09:00:00Z', 6, 'A1'),
      plannedAdmission(2, 'a', '2020-09-01T09:00:00Z', 6, 'A2'),
      plannedAdmission(3, 'b', '2020-09-01T09:00:00Z', 6, 'B1'),
      retracted(4, 'b', uuidOf(3), '2020-09-02T00:00:00Z'),
    ]);
    const { figures } = await scenario.report('2021-01-05T00:00:00Z', source, year2020);
    expect(figures['outcomes.cohort.admissions']).toBe(2);
  });
});
