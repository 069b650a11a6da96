import { inPeriod, monthsOf, parsePeriod, utcDayOf } from './period';

describe('periods (KPIS.md "Time")', () => {
  it('takes whole UTC days, both ends included', () => {
    const p = parsePeriod('2020-01-01', '2020-12-31');
    expect(inPeriod('2020-01-01', p) && inPeriod('2020-12-31', p)).toBe(true);
    expect(inPeriod('2019-12-31', p) || inPeriod('2021-01-01', p)).toBe(false);
  });

  it('places an instant on its UTC day, whatever its offset', () => {
    expect(utcDayOf('2021-01-01T00:30:00+01:00')).toBe('2020-12-31');
    expect(utcDayOf('2020-12-31T20:00:00-05:00')).toBe('2021-01-01');
    expect(utcDayOf('2020-12-31T23:59:59.999999999Z')).toBe('2020-12-31');
  });

  it('counts the months whose first day is in the period', () => {
    expect(monthsOf(parsePeriod('2020-01-01', '2020-12-31'))).toHaveLength(12);
    expect(monthsOf(parsePeriod('2019-12-15', '2020-02-01'))).toEqual(['2020-01', '2020-02']);
    expect(monthsOf(parsePeriod('2020-03-02', '2020-03-31'))).toEqual([]);
    expect(monthsOf(parsePeriod('2019-12-01', '2019-12-01'))).toEqual(['2019-12']);
  });

  it('refuses days that are not days, and a period that ends before it starts', () => {
    expect(() => parsePeriod('2020-02-30', '2020-03-01')).toThrow(/from must be a calendar day/);
    expect(() => parsePeriod('2020-01-01', '20-12-31')).toThrow(/to must be a calendar day/);
    expect(() => parsePeriod('2020-02-01', '2020-01-01')).toThrow(/after/);
  });
});
