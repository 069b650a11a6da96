import Database from 'better-sqlite3';
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, commitmentSet, mentorRegistered, sessionHeld } from '../support/event-builders';
import { runCli } from '../support/run-cli';

function headOf(file: string): number {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  } finally {
    db.close();
  }
}

const planned = (n: number, months: unknown) => ({ ...admitted(n, 'a'), data: { ...admitted(n, 'a').data, plannedMonths: months } });
const longLabel = () => {
  const c = commitmentSet(8, 'c-long', { figure: 'impact.positive-progressions', kind: 'at-least', value: 1 });
  return { ...c, data: { ...c.data, label: { fr: 'x'.repeat(201), en: 'ok' } } };
};

/** EVENTS.md v1.1 "Bad input" (issue 11): each case, the field it must name. */
const CASES: ReadonlyArray<readonly [string, string, readonly unknown[]]> = (
  [
  ['a session with a mentor never registered', [sessionHeld(1, 'a', 'ghost')], 'data.mentorId'],
  ['a session whose mentor is registered later in the file', [sessionHeld(1, 'a', 'm1'), mentorRegistered(2, 'm1')], 'data.mentorId'],
  ['a second registration', [mentorRegistered(1, 'm1'), mentorRegistered(2, 'm1')], 'data.mentorId'],
  ['a commitment on an unknown figure', [commitmentSet(1, 'c1', { figure: 'impact.happiness', kind: 'at-least', value: 1 })], 'data.measure.figure'],
  ['a commitment whose {year} gives an unknown id', [commitmentSet(1, 'c1', { figure: 'funding.{year}.funded-share', kind: 'at-least', value: 0.6 })], 'data.measure.figure'],
  ['a label over 200 characters', [longLabel()], 'data.label.fr'],
  ['plannedMonths 0', [planned(1, 0)], 'data.plannedMonths'],
  ['plannedMonths 37', [planned(1, 37)], 'data.plannedMonths'],
] as const).map(([name, events, field]) => [name, field, events] as const);

describe('catalog v1.1 bad input through `ledger import` (the compiled CLI, a real SQLite file)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-v1-1-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('still imports the v1 example file unchanged, and a valid v1.1 file', () => {
    const db = join(dir, 'valid.db');
    const v1 = join(__dirname, '..', '..', 'examples', 'first-events.ndjson');
    expect(runCli(['import', v1], `sqlite:${db}`).status).toBe(0);
    const v1Lines = readFileSync(v1, 'utf8').trim().split('\n').length;
    expect(headOf(db)).toBe(v1Lines);
    const file = join(dir, 'v1-1.ndjson');
    writeFileSync(file, [mentorRegistered(1, 'm1'), sessionHeld(2, 'a', 'm1'), planned(3, 12), commitmentSet(4, 'c1', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 })].map((e) => JSON.stringify(e)).join('\n'));
    const run = runCli(['import', file], `sqlite:${db}`);
    expect([run.status, run.stderr]).toEqual([0, expect.any(String)]);
    expect(headOf(db)).toBe(v1Lines + 4);
  });

  it.each(CASES)('refuses %s, naming the line and %s; stores nothing', (_, field, events) => {
    const db = join(dir, `bad-${field}-${events.length}-${Math.abs(JSON.stringify(events).length)}.db`);
    // A valid first line: the whole file is refused, that line too.
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, [mentorRegistered(100, 'ok-mentor'), ...events].map((e) => JSON.stringify(e)).join('\n'));
    const run = runCli(['import', file], `sqlite:${db}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nothing was stored/);
    expect(run.stderr).toMatch(new RegExp(`line \\d+ \\(eventId [0-9a-f-]+\\): ${field.replace(/\./g, '\\.')} `));
    expect(headOf(db)).toBe(0);
  });
});

describe('catalog v1.1 bad input through POST /events (the real NestJS pipeline)', () => {
  let api: ApiUnderTest;
  let app: INestApplication;
  beforeAll(async () => {
    api = await startApi();
    ({ app } = api);
  });
  afterAll(() => api.close());

  it.each(CASES)('answers 400 to %s, naming %s; stores nothing', async (_, field, events) => {
    const before = (await api.store.head()).position;
    const res = await request(app.getHttpServer()).post('/events').set(bearer(api.keys.ingest)).send(events as object[]).expect(400);
    expect(res.body.message).toBe('nothing of this request was stored');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await api.store.head()).position).toBe(before);
  });
});
