import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointSource, OpenedTrusted, TrustedCheck } from '@ledger/audit';
import {
  checkLogAndSeals,
  consistencyProofOf,
  ConsistencyRequestError,
  ledgerOrigin,
  openTrusted,
  publishReport,
  readWitnessState,
  signHead,
  storedTree,
  verifyLog,
  witnessRound,
  WitnessRefusal,
} from '@ledger/audit';
import { Ed25519Cosigner, Ed25519NoteSigner } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { courseStarted, learnerActive } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';
import { tempSqliteStore } from '../support/temp-sqlite';

/**
 * Issue 9's tamperings, made straight in the database as an operator with write access would,
 * each caught by an auditor who holds a checkpoint signed before it (audit --trusted), and the
 * fork refused by a witness. `verifyLog` alone passes them all (the rewritten logs are whole).
 */
interface Operator {
  /** Deletes every event after position `size` (and moves the head back). */
  truncateAfter(size: number): Promise<void>;
  /** Replaces the whole log by a forged one, rows, hashes, chain and head, keeping the log's id: a rewritten history. */
  replaceWith(forged: Forged): Promise<void>;
  /** A new, empty log of the same kind, to write a forged history into. */
  forge(): Promise<Forged>;
}

/** A forged log: its store, and where it is (a SQLite file, a PostgreSQL schema). */
interface Forged {
  readonly store: EventStore;
  readonly where: string;
}

interface Ledger {
  readonly store: EventStore;
  readonly operator: Operator;
  dispose(): Promise<void>;
}

const events = (from: number, count: number, variant = '') =>
  Array.from({ length: count }, (_, i) => (i % 2 === 0 ? courseStarted(from + i, `L${(from + i) % 4}${variant}`) : learnerActive(from + i, `L${(from + i) % 4}${variant}`)));

function checkpointCases(open: () => Promise<Ledger>): void {
  let ledger: Ledger;
  let store: EventStore;
  let signer: Ed25519NoteSigner;
  const forged: EventStore[] = [];
  beforeEach(async () => {
    ledger = await open();
    store = ledger.store;
    signer = Ed25519NoteSigner.fromPrivateKey(ledgerOrigin('ledger.test', (await store.identity()).logId), generateKeyPairSync('ed25519').privateKey);
    await store.append({ events: events(1, 40) });
  });
  afterEach(async () => {
    for (const f of forged.splice(0)) await f.close();
    await ledger.dispose();
  });

  const forge = async (...units: Array<ReturnType<typeof events>>): Promise<Forged> => {
    const f = await ledger.operator.forge();
    forged.push(f.store);
    for (const unit of units) await f.store.append({ events: unit });
    return f;
  };

  /** What `audit --trusted` checks: the log verified, the seals, and each held checkpoint. */
  const auditHolding = async (...notes: string[]): Promise<{ logOk: boolean; sealsOk: boolean; trusted: readonly TrustedCheck[] }> => {
    const opened: OpenedTrusted[] = openTrusted(
      notes.map((note, i) => ({ source: `held-${i + 1}.checkpoint`, note })),
      signer.verifier(),
      [],
    );
    const head = (await store.head()).position;
    const { log, seals, trusted } = await checkLogAndSeals(store, head, undefined, opened);
    return { logOk: log.ok, sealsOk: seals.every((s) => s.recomputedRoot === s.sealedRoot && s.extendedByToday), trusted: trusted ?? [] };
  };

  it('a checkpoint of the log as it is: contained, and the tree only grows after it', async () => {
    const held = await signHead(store, signer, '2021-01-10T12:00:00.000Z');
    await store.append({ events: events(41, 5) });
    const later = await signHead(store, signer, '2021-01-10T13:00:00.000Z');
    expect((await store.checkpoints()).map((c) => c.treeSize)).toEqual([40, 45]);
    const audit = await auditHolding(held.note, later.note);
    expect(audit.trusted.map((t) => t.ok)).toEqual([true, true]);
    expect(audit.trusted[0]).toMatchObject({ treeSize: 40, root: held.checkpoint.rootHash.toString('base64'), logRoot: held.checkpoint.rootHash.toString('base64') });
  });

  it('signs incrementally from the frontier kept with the last checkpoint: the same root as the whole tree at many sizes; a frontier that does not give the last root is not used', async () => {
    const full = async () => (await storedTree(store, (await store.head()).position)).root;
    let next = 41;
    for (const grown of [1, 2, 3, 5, 8, 13, 21, 24, 1, 64, 127, 1]) {
      await store.append({ events: events(next, grown) });
      next += grown;
      const signed = await signHead(store, signer, '2021-01-10T12:00:00.000Z');
      expect({ size: signed.treeSize, root: signed.checkpoint.rootHash.toString('hex') }).toEqual({ size: next - 1, root: (await full()).toString('hex') });
      expect(await store.checkpointFrontier(signed.treeSize)).toHaveLength(32 * [...(next - 1).toString(2)].filter((b) => b === '1').length);
    }
    // The same head signed again: nothing new to read, the same note (deterministic Ed25519).
    const again = await signHead(store, signer, '2021-01-10T12:01:00.000Z');
    expect(again.note).toBe((await store.checkpoints(2))[0]?.note);
    // A frontier that does not give the last checkpoint's root (damaged, or written by someone else): every leaf is read instead.
    const [last] = await store.checkpoints(1);
    if (!last) throw new Error('no checkpoint');
    await store.saveCheckpoint(last, Buffer.alloc((await store.checkpointFrontier(last.treeSize))?.length ?? 0, 9));
    await store.append({ events: events(next, 3) });
    const recovered = await signHead(store, signer, '2021-01-10T12:02:00.000Z');
    expect(recovered.checkpoint.rootHash).toEqual(await full());
    expect(await store.checkpointFrontier(0)).toBeNull();
  });

  it('tail truncation: NOT CLEAN, the first missing position named', async () => {
    const held = await signHead(store, signer, '2021-01-10T12:00:00.000Z');
    await ledger.operator.truncateAfter(33);
    expect(await verifyLog(store)).toMatchObject({ ok: true, checked: 33 });
    const [check] = (await auditHolding(held.note)).trusted;
    expect(check).toMatchObject({ ok: false, treeSize: 40, firstDifference: { after: 33, atMost: 34 }, problem: expect.stringMatching(/held-1\.checkpoint .*size 40.*33 events/) });
  });

  it('a publication deleted with everything after it, and the log gone on: the root differs, the difference located', async () => {
    const report = { period: { from: '2020-01-01', to: '2020-12-31' }, knownAt: '2021-01-10T12:00:00.000Z', logPosition: 40, figures: {} };
    await publishReport(store, report, { publicationId: 'report-2020', eventId: '00000000-0000-4000-8000-00000000a001', occurredAt: '2021-01-10T12:00:00Z' });
    await store.append({ events: events(41, 4) });
    const held = await signHead(store, signer, '2021-01-10T12:00:00.000Z'); // 45 events: the publication at 41
    // The publication and all after it deleted; the same publication id then free again, new events recorded.
    await ledger.operator.truncateAfter(40);
    await publishReport(store, { ...report, figures: { x: 1 } }, { publicationId: 'report-2020', eventId: '00000000-0000-4000-8000-00000000a002', occurredAt: '2021-01-10T12:00:00Z' });
    await store.append({ events: events(46, 6) });
    const audit = await auditHolding(held.note);
    expect(audit.logOk).toBe(true);
    expect(audit.sealsOk).toBe(true);
    // The new seal (of the 40 events kept) still matches: the difference is after it.
    expect(audit.trusted[0]).toMatchObject({ ok: false, treeSize: 45, firstDifference: { after: 40, atMost: 45 }, problem: expect.stringMatching(/differs/) });
  });

  it('a log rehashed with forged seals: verify and the seals pass, the held checkpoint does not', async () => {
    const held = await signHead(store, signer, '2021-01-10T12:00:00.000Z');
    const changed = events(1, 40);
    changed[16] = courseStarted(17, 'L1', '2020-04-01T10:00:00Z'); // one event changed, every leaf and chain after recomputed
    const rewritten = await forge(changed);
    await publishReport(rewritten.store, { period: { from: '2020-01-01', to: '2020-12-31' }, knownAt: '2021-01-10T12:00:00.000Z', logPosition: 40, figures: {} }, {
      publicationId: 'forged',
      eventId: '00000000-0000-4000-8000-00000000a003',
      occurredAt: '2021-01-10T12:00:00Z',
    });
    await ledger.operator.replaceWith(rewritten);
    const audit = await auditHolding(held.note);
    expect(audit).toMatchObject({ logOk: true, sealsOk: true });
    expect(audit.trusted[0]).toMatchObject({ ok: false, treeSize: 40, firstDifference: { after: 0, atMost: 40 } });
  });

  it('a rollback to an older head: with two checkpoints held, the first difference is between them', async () => {
    await store.append({ events: events(41, 10) });
    const older = await signHead(store, signer, '2021-01-10T12:00:00.000Z'); // 50
    await store.append({ events: events(51, 10) });
    const newer = await signHead(store, signer, '2021-01-10T13:00:00.000Z'); // 60
    // A backup of the head at 50 restored (the same rows up to 50, nothing after), then other events.
    await ledger.operator.truncateAfter(50);
    expect((await auditHolding(older.note, newer.note)).trusted.map((t) => t.ok)).toEqual([true, false]);
    await store.append({ events: events(61, 15, 'x') });
    const audit = await auditHolding(older.note, newer.note);
    expect(audit.logOk).toBe(true);
    expect(audit.trusted[0]?.ok).toBe(true);
    expect(audit.trusted[1]).toMatchObject({ ok: false, treeSize: 60, firstDifference: { after: 50, atMost: 60 } });
  });

  it('a fork, two different checkpoints of the same size: the audit and the witness refuse the other one', async () => {
    const held = await signHead(store, signer, '2021-01-10T12:00:00.000Z'); // 40
    const state = mkdtempSync(join(tmpdir(), 'witness-'));
    try {
      const source: CheckpointSource = {
        name: 'the ledger',
        latest: async () => (await store.checkpoints(1))[0]?.note ?? null,
        consistency: async (from, to) => (await consistencyProofOf(store, from, to)).proof,
      };
      const cosigner = Ed25519Cosigner.fromPrivateKey('witness.test', generateKeyPairSync('ed25519').privateKey);
      expect(await witnessRound(source, readWitnessState(state, signer.verifierKey()), cosigner, 1_700_000_000)).toMatchObject({ status: 'first' });
      // The other branch: the same 40 events but one, signed by the same key.
      const other = events(1, 40);
      other[39] = learnerActive(40, 'L9');
      await ledger.operator.replaceWith(await forge(other));
      // Signed incrementally, the frontier kept with the last checkpoint gives the held root, which the rewritten log no longer has: the audit says so.
      const incremental = await signHead(store, signer, '2021-01-10T12:20:00.000Z');
      expect(incremental.note).toBe(held.note);
      expect((await auditHolding(incremental.note)).trusted[0]).toMatchObject({ ok: false, treeSize: 40 });
      // The operator who forks signs the forged tree from its leaves.
      const fork = await signHead(store, signer, '2021-01-10T12:30:00.000Z', { incremental: false });
      expect(fork.treeSize).toBe(40);
      expect(fork.note).not.toBe(held.note);
      const audit = await auditHolding(held.note);
      expect(audit.trusted[0]).toMatchObject({ ok: false, treeSize: 40 });
      const refusal = await witnessRound(source, readWitnessState(state), cosigner, 1_700_000_100).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(WitnessRefusal);
      expect(refusal).toMatchObject({
        kind: 'fork',
        held: `${held.checkpoint.origin} size 40 root ${held.checkpoint.rootHash.toString('base64')}`,
        offered: `${fork.checkpoint.origin} size 40 root ${fork.checkpoint.rootHash.toString('base64')}`,
      });
      // Nothing stored by a refusal: the witness still holds the first checkpoint.
      expect(readWitnessState(state).held?.checkpoint.rootHash).toEqual(held.checkpoint.rootHash);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('the witness cosigns a grown log after checking the consistency proof, and refuses a rollback', async () => {
    const state = mkdtempSync(join(tmpdir(), 'witness-'));
    try {
      const source: CheckpointSource = {
        name: 'the ledger',
        latest: async () => (await store.checkpoints(1))[0]?.note ?? null,
        consistency: async (from, to) => (await consistencyProofOf(store, from, to)).proof,
      };
      const cosigner = Ed25519Cosigner.fromPrivateKey('witness.test', generateKeyPairSync('ed25519').privateKey);
      await signHead(store, signer, '2021-01-10T12:00:00.000Z');
      await witnessRound(source, readWitnessState(state, signer.verifierKey()), cosigner, 1_700_000_000);
      await store.append({ events: events(41, 7) });
      await signHead(store, signer, '2021-01-10T13:00:00.000Z');
      expect(await witnessRound(source, readWitnessState(state), cosigner, 1_700_000_100)).toMatchObject({ status: 'cosigned', checkpoint: { size: 47 }, held: { size: 40 } });
      await ledger.operator.truncateAfter(44);
      await signHead(store, signer, '2021-01-10T14:00:00.000Z');
      await expect(witnessRound(source, readWitnessState(state), cosigner, 1_700_000_200)).rejects.toMatchObject({ kind: 'rollback', message: expect.stringMatching(/size 47 .*size 44/) });
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('consistency requests beyond the head or backwards are refused, naming the field', async () => {
    await expect(consistencyProofOf(store, 5, 41)).rejects.toEqual(new ConsistencyRequestError('to', 'to (41) is beyond the head of the log (40)'));
    await expect(consistencyProofOf(store, 12, 11)).rejects.toMatchObject({ field: 'from' });
    await expect(consistencyProofOf(store, -1, 11)).rejects.toMatchObject({ field: 'from' });
    expect((await consistencyProofOf(store, 13, 40)).proof.length).toBeGreaterThan(0);
  });
}

describe('Signed checkpoints against a tampered SQLite ledger', () => {
  checkpointCases(async () => {
    const sut = tempSqliteStore();
    const db = sut.store.connection;
    const extra: Array<() => Promise<void>> = [];
    const operator: Operator = {
      truncateAfter: async (size) => void db.prepare('DELETE FROM events WHERE position > ?').run(size),
      replaceWith: async (forged) => {
        db.prepare('ATTACH DATABASE ? AS forged').run(forged.where);
        db.exec('BEGIN; DELETE FROM events; INSERT INTO events SELECT * FROM forged.events; COMMIT');
        db.exec('DETACH DATABASE forged');
      },
      forge: async () => {
        const forged = tempSqliteStore();
        extra.push(() => forged.dispose());
        return { store: forged.store, where: forged.file };
      },
    };
    return {
      store: sut.store,
      operator,
      dispose: async () => {
        for (const d of extra) await d();
        await sut.dispose();
      },
    };
  });
});

describeWithPostgres('Checkpoint tests on PostgreSQL')('Signed checkpoints against a tampered PostgreSQL ledger', () => {
  checkpointCases(async () => {
    const schema = freshSchema();
    const store = await PostgresEventStore.open(POSTGRES_URL, { schema });
    const schemas = [schema];
    const sql = (text: string, values: unknown[] = []) => withPostgres((client) => client.query(text, values)).then(() => undefined);
    const operator: Operator = {
      truncateAfter: (size) =>
        sql(
          `BEGIN; DELETE FROM "${schema}".events WHERE position > ${Number(size)};
           UPDATE "${schema}".log_head SET position = e.position, recorded_at = e.recorded_at, chain = e.chain
             FROM (SELECT position, recorded_at, chain FROM "${schema}".events ORDER BY position DESC LIMIT 1) AS e; COMMIT`,
        ),
      replaceWith: async (forged) => {
        const from = forged.where;
        await sql(
          `BEGIN; DELETE FROM "${schema}".events; INSERT INTO "${schema}".events SELECT * FROM "${from}".events;
           UPDATE "${schema}".log_head h SET position = f.position, recorded_at = f.recorded_at, chain = f.chain FROM "${from}".log_head f; COMMIT`,
        );
      },
      forge: async () => {
        const forged = freshSchema();
        schemas.push(forged);
        return { store: await PostgresEventStore.open(POSTGRES_URL, { schema: forged }), where: forged };
      },
    };
    return {
      store,
      operator,
      dispose: async () => {
        await store.close();
        for (const s of schemas) await dropSchema(s);
      },
    };
  });
});
