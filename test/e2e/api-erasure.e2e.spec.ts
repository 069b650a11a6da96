import { QueryBus } from '@nestjs/cqrs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AuditQuery, resultOf } from '@ledger/application';
import { auditMarkdown } from '@ledger/audit';
import type { LearnerEvent } from '@ledger/events';
import { parsePeriod } from '@ledger/projection-kit';
import { PostgresEventStore } from '@ledger/store/postgres';
import type { ApiUnderTest, StoreKind } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, courseStarted, surveyAnswered, uuidOf } from '../support/event-builders';
import { describeWithPostgres, withPostgres } from '../support/postgres';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require('../../tools/verify-proof.js') as {
  verifyProofBundle(bundle: unknown): { ok: boolean; checked: string[]; notChecked?: string[] };
};

/** The learner erased, and payload values found nowhere else: what the byte searches look for. */
const ERASED = 'zqx-learner-9';
const KEPT = 'kept-learner-2';
const VALUES = ['SURVEY-ZQX-0001', 'ADMISSION-ZQX-0002', 'PATH-ZQX-UNIQUE', 'COURSE-ZQX-0003', `learner-${ERASED}`, uuidOf(1), uuidOf(2), uuidOf(3)];

function history(): LearnerEvent[] {
  const survey = surveyAnswered(1, ERASED);
  const admission = admitted(2, ERASED, 'ADMISSION-ZQX-0002');
  return [
    { ...survey, data: { ...survey.data, surveyResponseId: 'SURVEY-ZQX-0001', country: 'MT' } },
    { ...admission, data: { ...admission.data, pathId: 'PATH-ZQX-UNIQUE' } },
    { ...courseStarted(3, ERASED), data: { courseId: 'COURSE-ZQX-0003', theme: 'data' } },
    surveyAnswered(4, KEPT),
    courseStarted(5, KEPT),
  ];
}

const found = (haystacks: readonly Buffer[], needles: readonly string[]) => needles.filter((n) => haystacks.some((h) => h.includes(n)));
const sqliteFiles = (file: string) => [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));

/** The bytes of the events table, its TOAST table and its indexes, as on disk (a CHECKPOINT first; superuser). */
async function postgresTableFiles(schema: string): Promise<Buffer[]> {
  return withPostgres(async (client) => {
    await client.query('CHECKPOINT');
    const relations = await client.query<{ path: string | null }>(
      `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'events'
       UNION ALL SELECT pg_relation_filepath(i.indexrelid) FROM pg_index i WHERE i.indrelid = $2::regclass
       UNION ALL SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c WHERE c.oid = $2::regclass AND c.reltoastrelid <> 0`,
      [schema, `"${schema}".events`],
    );
    const out: Buffer[] = [];
    for (const { path } of relations.rows) {
      if (path !== null) out.push((await client.query<{ bytes: Buffer }>('SELECT pg_read_binary_file($1) AS bytes', [path])).rows[0]?.bytes ?? Buffer.alloc(0));
    }
    return out;
  });
}

const YEAR = { from: '2020-01-01', to: '2020-12-31' };

function erasureOn(kind: StoreKind): void {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const storeBytes = async (): Promise<Buffer[]> =>
    api.store instanceof PostgresEventStore ? postgresTableFiles(api.store.schema) : sqliteFiles(join(api.files.dir, 'ledger.db'));
  const readModelBytes = () => sqliteFiles(api.files.readModelsDb);

  beforeAll(async () => {
    api = await startApi(undefined, kind);
    api.clock.set('2021-01-05T00:00:00Z');
    await http().post('/events').set(bearer(api.keys.ingest)).send(history()).expect(201);
    api.clock.set('2021-03-01T00:00:00Z');
    await http().post('/publications').set(bearer(api.keys.committee)).send({ ...YEAR, publicationId: 'before-erasure' }).expect(201);
    api.clock.set('2021-05-01T00:00:00Z');
  });
  afterAll(() => api.close());

  it('refuses the erasure to every role but admin (403), without a reason (400, field reason), for an unknown learner (404): nothing changed', async () => {
    const head = await api.store.head();
    for (const role of ['ingest', 'committee', 'auditor'] as const) {
      await http().delete(`/learners/${ERASED}`).set(bearer(api.keys[role])).send({ reason: 'art. 17' }).expect(403);
    }
    const noReason = await http().delete(`/learners/${ERASED}`).set(bearer(api.keys.admin)).expect(400);
    expect(noReason.body).toMatchObject({ statusCode: 400, field: 'reason', message: expect.stringContaining('reason') });
    await http().delete(`/learners/${ERASED}`).set(bearer(api.keys.admin)).send({ reason: '' }).expect(400);
    const unknown = await http().delete('/learners/nobody-here').set(bearer(api.keys.admin)).send({ reason: 'art. 17' }).expect(404);
    expect(unknown.body).toMatchObject({ field: 'id', message: expect.stringContaining('nobody-here') });
    expect(await api.store.head()).toEqual(head);
    // The payloads are there before: the byte searches below can fail.
    expect(found(await storeBytes(), VALUES).length).toBeGreaterThan(0);
    await http().get(`/reports?from=${YEAR.from}&to=${YEAR.to}`).set(bearer(api.keys.committee)).expect(200);
    expect(found(readModelBytes(), [ERASED]).length).toBe(1);
  });

  it('erases (200), then answers "already-erased" (200) and changes nothing; the learner\'s later events are refused', async () => {
    const erased = await http().delete(`/learners/${ERASED}`).set(bearer(api.keys.admin)).send({ reason: 'GDPR art. 17 request 2021-114' }).expect(200);
    expect(erased.body).toMatchObject({ status: 'erased', learnerId: ERASED, position: 7, erasedEvents: 3, vacuumed: kind === 'postgres' });
    expect(erased.body.readModels.rebuilt.length).toBeGreaterThan(0);
    const head = await api.store.head();
    const again = await http().delete(`/learners/${ERASED}`).set(bearer(api.keys.admin)).send({ reason: 'asked twice' }).expect(200);
    expect(again.body).toMatchObject({ status: 'already-erased', position: 7, erasedEvents: 0 });
    expect(await api.store.head()).toEqual(head);
    const refused = await http().post('/events').set(bearer(api.keys.ingest)).send(courseStarted(50, ERASED)).expect(400);
    expect(JSON.stringify(refused.body)).toContain('learnerId');
  });

  it('leaves none of the payload values in the store files (after the vacuum) nor in the read models', async () => {
    expect(found(await storeBytes(), VALUES)).toEqual([]);
    expect(found(readModelBytes(), [...VALUES, ERASED])).toEqual([]);
    expect(found(readModelBytes(), [KEPT])).toEqual([KEPT]);
  });

  it('no longer counts the learner; the audit verifies the log and the seal, and explains each published figure the erasure changed as "erased: 1 learners"', async () => {
    const report = await http().get(`/reports?from=${YEAR.from}&to=${YEAR.to}`).set(bearer(api.keys.committee)).expect(200);
    expect(report.body.figures['key.courses-started']).toBe(1);
    const period = parsePeriod(YEAR.from, YEAR.to);
    const findings = await resultOf(await api.app.get(QueryBus).execute(new AuditQuery({ period, now: api.clock.now().toISOString(), published: 'before-erasure' })));
    expect(findings.log).toMatchObject({ ok: true });
    expect(findings.seals).toEqual([expect.objectContaining({ publicationId: 'before-erasure', extendedByToday: true })]);
    expect(findings.seals[0]?.recomputedRoot).toBe(findings.seals[0]?.sealedRoot);
    const restated = findings.published?.figures.filter((f) => f.published !== f.now) ?? [];
    expect(restated.map((f) => f.figure)).toContain('key.courses-started');
    for (const figure of restated) {
      expect(figure).toMatchObject({ reproduced: false, erased: { learners: 1 } });
      if (figure.restatement) expect(figure.restatement).toMatchObject({ erased: { learners: 1 }, explained: true });
    }
    expect(findings.ok).toBe(true);
    const markdown = auditMarkdown(findings);
    expect(markdown).toContain('erased: 1 learners');
    expect(markdown).not.toContain(ERASED);
  });

  it("proves a kept event against the publication's seal, and an erased one by position: payload erased, said by the verifier", async () => {
    const kept = await http().get(`/proofs/${uuidOf(5)}?against=before-erasure`).set(bearer(api.keys.auditor)).expect(200);
    expect(verifyProofBundle(kept.body)).toMatchObject({ ok: true });
    await http().get(`/proofs/${uuidOf(2)}`).set(bearer(api.keys.auditor)).expect(404);
    const erased = await http().get('/proofs/positions/2?against=before-erasure').set(bearer(api.keys.auditor)).expect(200);
    expect(erased.body).toMatchObject({ format: 'impact-ledger-proof/2', payload: 'erased', leaf: { position: 2, type: 'LearnerAdmitted' } });
    const verdict = verifyProofBundle(erased.body);
    expect(verdict.ok).toBe(true);
    expect(verdict.notChecked?.join('\n')).toMatch(/payload/);
    const bad = await http().get('/proofs/positions/0').set(bearer(api.keys.auditor)).expect(400);
    expect(bad.body).toMatchObject({ field: 'position' });
    await http().get('/proofs/positions/99').set(bearer(api.keys.auditor)).expect(404);
    await http().get('/proofs/positions/2').set(bearer(api.keys.committee)).expect(403);
  });
}

describe('Erasure over HTTP on SQLite (DELETE /learners/{id}, then audit, publish, proof)', () => erasureOn('sqlite'));

describeWithPostgres('PostgreSQL erasure e2e')('Erasure over HTTP on PostgreSQL (DELETE /learners/{id}, VACUUM FULL, then audit, proof)', () => erasureOn('postgres'));
