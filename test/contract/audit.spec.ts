import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditPeriod } from '@ledger/audit';
import { auditMarkdown } from '@ledger/audit';
import { publishReport } from '@ledger/audit';
import type { ApprenticeshipContractSigned, ProfessionalOutcomeReported } from '@ledger/events';
import { EventIngestor } from '@ledger/ingest';
import type { ReportDocument } from '@ledger/projection-runtime';
import { computeReport } from '@ledger/projection-runtime';
import { catchUpAll } from '@ledger/projection-runtime';
import { SqliteProjectionStateStore } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { commitmentHex } from '@ledger/integrity';
import type { LogRecord } from '@ledger/store';
import { recomputeHashes } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { FIGURE_SOURCES, PROJECTIONS } from '@ledger/projections';
import { definitionsOf } from '@ledger/projection-kit';
import { ManualClock } from '../contract/event-store.contract';
import { admitted, courseStarted, fundingGranted, learnerActive, pathEnded, retracted, uuidOf } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const PUBLISHED_AT = '2021-03-15T00:00:00.000Z';
const NOW = '2021-07-01T00:00:00.000Z';

function outcome(n: number, learnerId: string, occurredAt: string, kind: ProfessionalOutcomeReported['data']['outcome'] = 'new-job'): ProfessionalOutcomeReported {
  return { eventId: uuidOf(n), type: 'ProfessionalOutcomeReported', learnerId, occurredAt, data: { outcome: kind, evidence: { kind: 'survey-response', reference: `SR${n}` } } };
}
function contract(n: number, learnerId: string, occurredAt: string): ApprenticeshipContractSigned {
  return { eventId: uuidOf(n), type: 'ApprenticeshipContractSigned', learnerId, occurredAt, data: { contractId: `K${n}`, employerId: 'E1' } };
}

/** Raw access to the events table, as someone with write access to the database has. */
interface Tables {
  /** Changes one event's data and, like a careful forger, recomputes its hash and every chain value after it. */
  rewriteWithHashes(position: number, data: string): Promise<void>;
  changeData(position: number, data: string): Promise<void>;
}

/**
 * A year recorded, a report published (sealed in the log) at 2021-03-15, then corrections:
 * a declaration retracted and a late one recorded. Graduates, certificates, admissions and
 * fundings with no declaration are not impact.
 */
async function recordHistory(store: EventStore, clock: ManualClock): Promise<void> {
  const ingestor = new EventIngestor(store, clock.now);
  clock.set('2021-01-05T00:00:00Z');
  await ingestor.ingest([
    admitted(1, 'a', 'A1', '2020-01-10T09:00:00+01:00'),
    fundingGranted(2, 'a', 'apprenticeship', { occurredAt: '2020-01-09T00:00:00Z' }),
    pathEnded(3, 'a', 'A1', '2020-09-01T18:00:00+02:00'),
    courseStarted(4, 'b', '2020-03-01T10:00:00Z'),
    learnerActive(5, 'c', '2020-03-02T10:00:00+01:00'),
    outcome(6, 'd', '2020-05-01T10:00:00Z'),
    outcome(7, 'e', '2020-06-01T10:00:00Z', 'promotion'),
    contract(8, 'f', '2020-07-01T10:00:00Z'),
    courseStarted(9, 'b', '2020-03-01T10:00:01Z'),
  ]);
}

async function corrections(store: EventStore, clock: ManualClock): Promise<void> {
  const ingestor = new EventIngestor(store, clock.now);
  clock.set('2021-04-10T00:00:00Z');
  await ingestor.ingest([retracted(10, 'e', uuidOf(7)), outcome(11, 'g', '2020-11-01T10:00:00Z'), retracted(12, 'b', uuidOf(9))]);
}

function auditCases(open: () => Promise<{ store: EventStore; clock: ManualClock; tables: Tables; dispose(): Promise<void> }>): void {
  let store: EventStore;
  let clock: ManualClock;
  let tables: Tables;
  let dispose: () => Promise<void>;
  let states: SqliteProjectionStateStore;
  let dir: string;
  let published: ReportDocument;

  beforeEach(async () => {
    ({ store, clock, tables, dispose } = await open());
    dir = mkdtempSync(join(tmpdir(), 'ledger-audit-'));
    states = new SqliteProjectionStateStore(join(dir, 'read-models.db'));
    await recordHistory(store, clock);
    clock.set('2021-03-15T10:00:00Z');
    published = await computeReport(store, states, FIGURE_SOURCES, { period: YEAR, knownAt: PUBLISHED_AT, now: clock.now().toISOString() });
    await publishReport(store, published, { publicationId: 'report-2020', eventId: uuidOf(100), occurredAt: '2021-03-15T10:00:00Z' });
    await corrections(store, clock);
  });
  afterEach(async () => {
    await states.close();
    rmSync(dir, { recursive: true, force: true });
    await dispose();
  });

  const audit = (request: { knownAt?: string; published?: ReportDocument } = {}) =>
    auditPeriod(store, states, FIGURE_SOURCES, { period: YEAR, now: NOW, ...request });

  it('audits a clean ledger clean, and explains every restatement of the published report by its events', async () => {
    const findings = await audit({ knownAt: PUBLISHED_AT, published });
    expect(findings).toMatchObject({ ok: true, log: { ok: true, checked: 13 }, replay: { differences: [] } });
    expect(findings.seals).toEqual([expect.objectContaining({ publicationId: 'report-2020', treeSize: 9, extendedByToday: true })]);
    expect(findings.seals[0]?.recomputedRoot).toBe(findings.seals[0]?.sealedRoot);
    // No impact by default: the learners with a declaration, and only they.
    expect(findings.impact).toMatchObject({ ok: true, figure: 3, recounted: 3, otherEvidenceTypes: [] });
    expect(findings.impact.declarations.map((d) => [d.learnerId, d.type, d.evidence.reference])).toEqual([
      ['d', 'ProfessionalOutcomeReported', 'SR6'],
      ['e', 'ProfessionalOutcomeReported', 'SR7'],
      ['f', 'ApprenticeshipContractSigned', 'K8'],
    ]);
    const restated = Object.fromEntries((findings.published?.figures ?? []).filter((f) => f.restatement).map((f) => [f.figure, f]));
    expect(Object.keys(restated).sort()).toEqual([
      'impact.by-outcome.new-job',
      'impact.by-outcome.promotion',
      'key.courses-started',
      'key.courses-started.data',
      'key.courses-started.monthly-avg',
    ]);
    expect(restated['impact.by-outcome.new-job']?.restatement?.added.map((e) => e.eventId)).toEqual([uuidOf(11)]);
    expect(restated['impact.by-outcome.promotion']?.restatement?.retracted.map((r) => [r.event.eventId, r.by?.eventId])).toEqual([[uuidOf(7), uuidOf(10)]]);
    expect(restated['key.courses-started']?.restatement?.retracted.map((r) => [r.event.eventId, r.by?.eventId])).toEqual([[uuidOf(9), uuidOf(12)]]);
    expect(findings.published?.figures.every((f) => f.reproduced && (f.restatement?.explained ?? true))).toBe(true);
    expect(auditMarkdown(findings)).toContain('**Result: clean.**');
    // With the catalogue, a restated figure says what it is and what it counts.
    const described = auditMarkdown(findings, { figures: definitionsOf(FIGURE_SOURCES) });
    expect(described).toContain('### `key.courses-started` (courses started: CourseStarted events that occurred in the period): ');
    expect(auditMarkdown(findings)).toContain('### `key.courses-started`: ');
  });

  it('after an erasure, verifies the log and every seal made before it, and no longer counts the erased learner', async () => {
    expect(await store.eraseLearner('d', { reason: 'GDPR art. 17 request', erasedAt: '2021-05-01T00:00:00Z', eventId: uuidOf(200) })).toMatchObject({
      status: 'erased',
      erasedEvents: 1,
    });
    const findings = await audit({ knownAt: PUBLISHED_AT, published });
    expect(findings.log).toMatchObject({ ok: true, checked: 14, erased: 1 });
    expect(findings.seals).toEqual([expect.objectContaining({ publicationId: 'report-2020', treeSize: 9, extendedByToday: true })]);
    expect(findings.seals[0]?.recomputedRoot).toBe(findings.seals[0]?.sealedRoot);
    expect(findings.impact.declarations.map((d) => d.learnerId)).toEqual(['e', 'f']); // d's declaration is gone with its payload
    // The read models saved before the erasure (snapshots included) still count d until they are rebuilt
    // (docs/erasure.md: the CLI/API erase must rebuild them; the restatement "erased: n learners" is the audit wiring's).
    expect(findings.published?.figures.find((f) => f.figure === 'impact.positive-progressions')).toMatchObject({ published: 3, atPublication: 3 });
  });

  it('refuses a publication id that is not 1-200 of [A-Za-z0-9._:+-] (it names a stream), storing nothing', async () => {
    const head = await store.head();
    for (const publicationId of ['p'.repeat(201), 'p\u0000', '']) {
      await expect(publishReport(store, published, { publicationId, eventId: uuidOf(101), occurredAt: '2021-04-10T00:00:00Z' })).rejects.toThrow(
        /^publicationId must be 1 to 200 letters/,
      );
    }
    expect(await store.head()).toEqual(head);
    const longest = await publishReport(store, published, { publicationId: 'p'.repeat(200), eventId: uuidOf(102), occurredAt: '2021-04-10T00:00:00Z' });
    expect(longest.appended.streamId).toHaveLength(212);
  });

  it('lists a published figure that is not what the events said at its knownAt', async () => {
    const findings = await audit({ knownAt: PUBLISHED_AT, published: { ...published, figures: { ...published.figures, 'impact.positive-progressions': 4 } } });
    expect(findings.ok).toBe(false);
    expect(findings.published?.figures.filter((f) => !f.reproduced)).toEqual([
      expect.objectContaining({ figure: 'impact.positive-progressions', published: 4, atPublication: 3 }),
    ]);
  });

  it('finds a changed byte and names its position', async () => {
    await tables.changeData(4, '{"courseId":"C4","theme":"design"}');
    const findings = await audit();
    expect(findings.ok).toBe(false);
    expect(findings.log.fault).toMatchObject({ position: 4, problem: expect.stringMatching(/does not match its hash/) });
  });

  it('finds history rewritten with recomputed hashes, which the hash chain alone cannot: the sealed root no longer matches', async () => {
    await tables.rewriteWithHashes(6, '{"evidence":{"kind":"survey-response","reference":"SR6"},"outcome":"promotion"}');
    const findings = await audit();
    expect(findings.log.ok).toBe(true); // every hash and chain value was recomputed
    expect(findings.ok).toBe(false);
    expect(findings.seals[0]).toMatchObject({ publicationId: 'report-2020', extendedByToday: false });
    expect(findings.seals[0]?.recomputedRoot).not.toBe(findings.seals[0]?.sealedRoot);
  });

  it('never writes to the live read models', async () => {
    const before = await catchUpAll(store, states, PROJECTIONS); // the live read models at position 13
    await new EventIngestor(store, clock.now).ingest([courseStarted(20, 'h', '2020-12-01T10:00:00Z')]);
    const findings = await audit();
    expect(findings.replay.differences).toEqual([]); // the live states were caught up in memory, not saved
    for (const [i, projection] of PROJECTIONS.entries()) expect((await states.load(projection.name))?.position).toBe(before[i]?.position);
  });
}

/** What a forger who rewrites a leaf v2 record recomputes first: the commitment to its new payload. */
function withCommitmentRecomputed(record: LogRecord): LogRecord {
  return record.leafVersion === 2 && record.salt !== undefined ? { ...record, commitment: commitmentHex(record.salt, record) } : record;
}

describe('ledger audit on SQLite', () => {
  auditCases(async () => {
    const clock = new ManualClock();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-audit-db-'));
    const store = new SqliteEventStore(join(dir, 'ledger.db'), { clock: clock.now });
    const db = store.connection;
    const tables: Tables = {
      changeData: async (position, data) => void db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, position),
      rewriteWithHashes: async (position, data) => {
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, position);
        let previous = position === 1 ? '0'.repeat(64) : (db.prepare('SELECT hex(chain) AS c FROM events WHERE position = ?').get(position - 1) as { c: string }).c.toLowerCase();
        for await (const stored of store.readAll(position)) {
          const record = withCommitmentRecomputed(stored); // a leaf v2 record: its commitment too
          const { hash, chain } = recomputeHashes(record, previous);
          db.prepare('UPDATE events SET hash = ?, chain = ?, commitment = ? WHERE position = ?')
            .run(Buffer.from(hash, 'hex'), Buffer.from(chain, 'hex'), record.commitment === undefined ? null : Buffer.from(record.commitment, 'hex'), record.position);
          previous = chain;
        }
      },
    };
    return { store, clock, tables, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
  });
});

describeWithPostgres('Audit tests on PostgreSQL')('ledger audit on PostgreSQL', () => {
  auditCases(async () => {
    const clock = new ManualClock();
    const schema = freshSchema();
    const store = await PostgresEventStore.open(POSTGRES_URL, { schema, clock: clock.now });
    const events = `"${schema}".events`;
    const sql = (text: string, values: unknown[] = []) => withPostgres((client) => client.query(text, values));
    const tables: Tables = {
      changeData: async (position, data) => void (await sql(`UPDATE ${events} SET data = $1 WHERE position = $2`, [data, position])),
      rewriteWithHashes: async (position, data) => {
        await sql(`UPDATE ${events} SET data = $1 WHERE position = $2`, [data, position]);
        const { rows } = await sql(`SELECT encode(chain, 'hex') AS c FROM ${events} WHERE position = $1`, [position - 1]);
        let previous = (rows[0] as { c: string } | undefined)?.c ?? '0'.repeat(64);
        for await (const stored of store.readAll(position)) {
          const record = withCommitmentRecomputed(stored);
          const { hash, chain } = recomputeHashes(record, previous);
          await sql(`UPDATE ${events} SET hash = decode($1, 'hex'), chain = decode($2, 'hex'), commitment = decode($3, 'hex') WHERE position = $4`, [
            hash, chain, record.commitment ?? null, record.position,
          ]);
          previous = chain;
        }
      },
    };
    return { store, clock, tables, dispose: async () => (await store.close(), await dropSchema(schema)) };
  });
});

