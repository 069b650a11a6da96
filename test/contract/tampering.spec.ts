import { verifyLog } from '@ledger/audit';
import { chainHashHex, commitmentHex, leafV2HashHex } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import { EMPTY_HEAD } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { courseStarted, learnerActive } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';
import { tempSqliteStore } from '../support/temp-sqlite';

/** Tampering made straight in the database, as someone with write access to it would. */
interface Tamperer {
  changeData(position: number, data: string): Promise<void>;
  changeHash(position: number): Promise<void>;
  remove(position: number): Promise<void>;
  /** Swaps two whole rows, stored hashes included, keeping their positions. */
  swap(a: number, b: number): Promise<void>;
  /** Gives the event at `position` another stream revision, and rewrites its commitment, leaf and chain and every chain after it to match: a history rewritten by someone who knows the format. */
  reseal(position: number, streamRevision: number): Promise<void>;
}

interface ResealedRow {
  readonly position: number;
  readonly streamRevision: number;
  readonly commitment: string;
  readonly hash: string;
  readonly chain: string;
}

/** The rows `reseal` writes: from `position` on, each leaf v2 record's hashes recomputed from its (changed) content. */
async function resealedRows(store: EventStore, position: number, streamRevision: number): Promise<ResealedRow[]> {
  const rows: ResealedRow[] = [];
  let previousChain = EMPTY_HEAD.chain;
  for await (const stored of store.readAll(1)) {
    if (stored.position < position) {
      previousChain = stored.chain;
      continue;
    }
    const record = stored.position === position ? { ...stored, streamRevision } : stored;
    const commitment = commitmentHex(record.salt ?? '', record);
    const hash = leafV2HashHex({ commitment, position: record.position, recordedAt: record.recordedAt, type: record.type });
    previousChain = chainHashHex(previousChain, hash);
    rows.push({ position: record.position, streamRevision: record.streamRevision, commitment, hash, chain: previousChain });
  }
  return rows;
}

const CONTENT = ['event_id', 'stream_id', 'stream_revision', 'type', 'learner_id', 'occurred_at', 'recorded_at', 'data', 'hash', 'chain'];

function tamperingCases(open: () => Promise<{ store: EventStore; tamper: Tamperer; dispose(): Promise<void> }>): void {
  let store: EventStore;
  let tamper: Tamperer;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, tamper, dispose } = await open());
    await store.append({
      events: Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? courseStarted(i + 1, `L${i % 4}`) : learnerActive(i + 1, `L${i % 4}`))),
    });
    expect(await verifyLog(store)).toMatchObject({ ok: true, checked: 40 });
  });
  afterEach(() => dispose());

  it('finds a changed byte of an event and names its position', async () => {
    await tamper.changeData(17, '{"courseId":"C18","theme":"design"}');
    expect(await verifyLog(store)).toMatchObject({ ok: false, checked: 16, fault: { position: 17, problem: expect.stringMatching(/does not match its hash/) } });
  });

  it('finds a changed stored hash', async () => {
    await tamper.changeHash(30);
    expect((await verifyLog(store)).fault).toMatchObject({ position: 30 });
  });

  it('finds a deleted event by the position that is missing', async () => {
    await tamper.remove(23);
    expect((await verifyLog(store)).fault).toMatchObject({ position: 23, problem: expect.stringMatching(/position 23 is missing/) });
  });

  it('finds two events swapped, hashes and all, at the first of them', async () => {
    await tamper.swap(10, 11);
    expect((await verifyLog(store)).fault).toMatchObject({ position: 10 });
  });

  describe('checked by ranges of 8 events (the joining of worker threads, here on one thread)', () => {
    const byRanges = { parallel: { inThisThread: true, rangeEvents: 8 } } as const;
    const rootsAt = new Set([0, 5, 8, 9, 16, 23, 40]);
    /** The check by ranges gives exactly what the check on one thread gives: fault, message, count, roots. */
    const sameAsOneThread = async () => {
      const one = await verifyLog(store, { parallel: false, rootsAt });
      const joined: number[] = [];
      expect(await verifyLog(store, { ...byRanges, rootsAt, onProgress: (n) => joined.push(n) })).toEqual(one);
      // Every whole range before the fault was joined as a range (progress is told once a range), not checked again.
      const ranges = one.fault ? Math.floor((one.fault.position - 1) / 8) : 5;
      expect(joined).toEqual(Array.from({ length: ranges }, (_, i) => 8 * (i + 1)));
      return one;
    };

    it('gives the same root, roots at sealed sizes and counts on an untouched log', async () => {
      expect(await sameAsOneThread()).toMatchObject({ ok: true, checked: 40 });
    });

    it.each([
      ['in the middle of a range', 13],
      ['at the first event of a range', 17],
      ['at the last event of a range', 16],
      ['at the first event of the log', 1],
      ['at the last event of the log', 40],
    ])('finds a changed event %s and names its position', async (_where, position) => {
      await tamper.changeData(position, '{"courseId":"C99","theme":"design"}');
      expect(await sameAsOneThread()).toMatchObject({ ok: false, checked: position - 1, fault: { position, problem: expect.stringMatching(/does not match its hash/) } });
    });

    it('finds a changed stored hash in the middle of a range: the chain of the next event no longer follows', async () => {
      await tamper.changeHash(21);
      expect((await sameAsOneThread()).fault).toMatchObject({ position: 21 });
    });

    it.each([16, 17, 12])('finds event %i deleted, at a range boundary or inside, by the position that is missing', async (position) => {
      await tamper.remove(position);
      expect((await sameAsOneThread()).fault).toMatchObject({ position, problem: `position ${position} is missing: the next event found is at position ${position + 1}` });
    });

    it.each([
      ['its first in a range, found by the joining of ranges', 17],
      ['inside a range', 21],
    ])('finds a stream revision that skips one, %s, in a history rewritten with consistent hashes', async (_where, position) => {
      await tamper.reseal(position, 99);
      expect((await sameAsOneThread()).fault).toMatchObject({ position, problem: expect.stringMatching(/^stream learner-L0: revision 99 follows revision \d+$/) });
    });

    it('finds two events swapped across a range boundary, at the first of them', async () => {
      await tamper.swap(16, 17);
      expect((await sameAsOneThread()).fault).toMatchObject({ position: 16 });
    });
  });
}

describe('verifyLog finds tampering made straight in a SQLite file', () => {
  tamperingCases(async () => {
    const sut = tempSqliteStore();
    const db = sut.store.connection;
    const tamper: Tamperer = {
      changeData: async (position, data) => void db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, position),
      changeHash: async (position) => void db.prepare('UPDATE events SET hash = zeroblob(32) WHERE position = ?').run(position),
      remove: async (position) => void db.prepare('DELETE FROM events WHERE position = ?').run(position),
      swap: async (a, b) => {
        const read = db.prepare(`SELECT ${CONTENT.join(', ')} FROM events WHERE position = ?`);
        const [rowA, rowB] = [read.get(a) as Record<string, unknown>, read.get(b) as Record<string, unknown>];
        const write = db.prepare(`UPDATE events SET ${CONTENT.map((c) => `${c} = @${c}`).join(', ')} WHERE position = @position`);
        db.transaction(() => {
          db.prepare("UPDATE events SET event_id = 'swap', stream_revision = -1 WHERE position = ?").run(a);
          write.run({ ...rowA, position: b });
          write.run({ ...rowB, position: a });
        })();
      },
      reseal: async (position, streamRevision) => {
        const write = db.prepare('UPDATE events SET stream_revision = ?, commitment = ?, hash = ?, chain = ? WHERE position = ?');
        const rows = await resealedRows(sut.store, position, streamRevision);
        db.transaction(() => {
          for (const r of rows) write.run(r.streamRevision, Buffer.from(r.commitment, 'hex'), Buffer.from(r.hash, 'hex'), Buffer.from(r.chain, 'hex'), r.position);
        })();
      },
    };
    return { store: sut.store, tamper, dispose: () => sut.dispose() };
  });
});

describeWithPostgres('Tampering tests on PostgreSQL')('verifyLog finds tampering made straight in PostgreSQL tables', () => {
  tamperingCases(async () => {
    const schema = freshSchema();
    const store = await PostgresEventStore.open(POSTGRES_URL, { schema });
    const sql = (text: string, values: unknown[] = []) => withPostgres((client) => client.query(text, values)).then(() => undefined);
    const events = `"${schema}".events`;
    const tamper: Tamperer = {
      changeData: (position, data) => sql(`UPDATE ${events} SET data = $1 WHERE position = $2`, [data, position]),
      changeHash: (position) => sql(`UPDATE ${events} SET hash = decode(repeat('00', 32), 'hex') WHERE position = $1`, [position]),
      remove: (position) => sql(`DELETE FROM ${events} WHERE position = $1`, [position]),
      swap: (a, b) =>
        withPostgres(async (client) => {
          const { rows } = await client.query(`SELECT position, ${CONTENT.join(', ')} FROM ${events} WHERE position IN ($1, $2)`, [a, b]);
          const byPosition = new Map(rows.map((r: Record<string, unknown>) => [Number(r.position), r]));
          const set = CONTENT.map((c, i) => `${c} = $${i + 2}`).join(', ');
          const write = (position: number, row: Record<string, unknown> | undefined) =>
            client.query(`UPDATE ${events} SET ${set} WHERE position = $1`, [position, ...CONTENT.map((c) => row?.[c])]);
          await client.query('BEGIN');
          await client.query(`UPDATE ${events} SET event_id = 'swap', stream_id = 'swap' WHERE position = $1`, [a]);
          await write(b, byPosition.get(a));
          await write(a, byPosition.get(b));
          await client.query('COMMIT');
        }),
      reseal: async (position, streamRevision) => {
        const rows = await resealedRows(store, position, streamRevision);
        await withPostgres(async (client) => {
          await client.query('BEGIN');
          for (const r of rows) {
            await client.query(`UPDATE ${events} SET stream_revision = $1, commitment = decode($2, 'hex'), hash = decode($3, 'hex'), chain = decode($4, 'hex') WHERE position = $5`, [
              r.streamRevision,
              r.commitment,
              r.hash,
              r.chain,
              r.position,
            ]);
          }
          await client.query('COMMIT');
        });
      },
    };
    return {
      store,
      tamper,
      dispose: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });
});
