import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { admitted, commitmentSet, mentorProfileUpdated, mentorRegistered, sessionHeld } from '@ledger/testing/event-builders';
import { isKpisFigureId } from '../kpis-figures';
import { validateEvent } from './validate-event';

const now = new Date('2021-01-10T12:00:00Z');

/** KPIS.md in shared/domain beside the clone or a folder above it (as test/projections/kpis-catalogue.spec.ts). */
function kpisMd(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dirname(dir), 'shared', 'domain', 'KPIS.md');
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error('KPIS.md not found');
}
const fieldsOf = (raw: unknown) => {
  const result = validateEvent(raw, now);
  return result.ok ? [] : result.errors.map((e) => e.field);
};
const messageOf = (raw: unknown) => {
  const result = validateEvent(raw, now);
  return result.ok ? '' : result.errors.map((e) => `${e.field} ${e.message}`).join('; ');
};

describe('catalog v1.1 (EVENTS.md "Version 1.1 additions")', () => {
  it('accepts every v1.1 type and plannedMonths 1 and 36', () => {
    const planned = (months: number) => ({ ...admitted(1, 'a'), data: { ...admitted(1, 'a').data, plannedMonths: months } });
    for (const raw of [
      planned(1),
      planned(36),
      mentorRegistered(2, 'm-1', undefined, { assessed: ['refugee'], held: ['refugee'] }),
      mentorProfileUpdated(3, 'm-1', { assessed: ['job-seeker'], held: [] }),
      sessionHeld(4, 'a', 'm-1'),
      commitmentSet(5, 'c-2020-funded', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 }),
      commitmentSet(6, 'c-growth', { figure: 'populations.net-distinct', kind: 'growth-at-least', value: 0.2 }),
    ]) {
      expect(messageOf(raw)).toBe('');
    }
  });

  it('refuses plannedMonths 0, 37, 12.5 and "12", naming data.plannedMonths', () => {
    for (const months of [0, 37, 12.5, '12']) {
      const raw = { ...admitted(1, 'a'), data: { ...admitted(1, 'a').data, plannedMonths: months } };
      expect(fieldsOf(raw)).toEqual(['data.plannedMonths']);
    }
  });

  it('refuses a label over 200 characters (code points), naming the language', () => {
    const raw = commitmentSet(1, 'c', { figure: 'impact.positive-progressions', kind: 'at-least', value: 1 });
    const at200 = { ...raw, data: { ...raw.data, label: { fr: '€'.repeat(200), en: '😀'.repeat(200) } } };
    expect(messageOf(at200)).toBe('');
    const over = { ...raw, data: { ...raw.data, label: { fr: 'é'.repeat(201), en: 'ok' } } };
    expect(messageOf(over)).toBe('data.label.fr must be at most 200 characters (Unicode code points)');
    const control = { ...raw, data: { ...raw.data, label: { fr: 'ok', en: 'a\u0007b' } } };
    expect(fieldsOf(control)).toEqual(['data.label.en']);
  });

  it('refuses a commitment on an unknown figure, a {year} giving an unknown id, or a commitments.* figure', () => {
    const on = (figure: string, year = 2020) => commitmentSet(1, 'c', { figure, kind: 'at-least', value: 1 }, year);
    expect(messageOf(on('impact.everything'))).toBe('data.measure.figure names no figure of KPIS.md: "impact.everything"');
    // funding.2020.funded-share: {year} stands for the year, not a month.
    expect(messageOf(on('funding.{year}.funded-share'))).toBe('data.measure.figure names no figure of KPIS.md once {year} is replaced: "funding.2020.funded-share"');
    expect(fieldsOf(on('commitments.other.actual'))).toEqual(['data.measure.figure']);
    expect(fieldsOf(on('funding.{year}-13.funded-share'))).toEqual(['data.measure.figure']);
    expect(fieldsOf(on('funding.{year}-12.funded-share', 1999))).toEqual(['data.year']);
  });

  it('refuses a bad mentorId, a missing profile assessment, an unknown lever or measure kind, each by field', () => {
    expect(fieldsOf(mentorRegistered(1, 'has space'))).toEqual(['data.mentorId']);
    expect(fieldsOf({ ...mentorProfileUpdated(2, 'm', { assessed: [], held: [] }), data: { mentorId: 'm' } })).toEqual(['data.statusAssessment']);
    const c = commitmentSet(3, 'c', { figure: 'impact.free-users', kind: 'at-least', value: 1 });
    expect(fieldsOf({ ...c, data: { ...c.data, lever: 'luck' } })).toEqual(['data.lever']);
    expect(fieldsOf({ ...c, data: { ...c.data, measure: { ...c.data.measure, kind: 'about' } } })).toEqual(['data.measure.kind']);
    expect(fieldsOf({ ...c, learnerId: 'a' })).toEqual(['learnerId']);
    expect(fieldsOf({ ...sessionHeld(4, 'a', 'm'), learnerId: undefined })).toEqual(['learnerId']);
  });

  it('knows every version 2 figure id of KPIS.md written in its tables', () => {
    const kpis = kpisMd();
    const v2 = kpis.slice(kpis.indexOf('## Version 2 additions'), kpis.indexOf('### Commitments'));
    const ids = [...v2.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
    expect(ids.length).toBeGreaterThan(20);
    const concrete = ids.flatMap((id) =>
      id
        .replace('<segment>', 'paid-funded')
        .replace('<status>', 'refugee')
        .replace('<motivation>', 'first-job')
        .replace('<outcome>', 'new-job')
        .split(' '),
    );
    for (const id of concrete) expect([id, isKpisFigureId(id)]).toEqual([id, true]);
  });
});
