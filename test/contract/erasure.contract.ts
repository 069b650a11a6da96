import { defineProjection, eventTypes, plainJson } from '@ledger/projection-kit';
import { stateAt } from '@ledger/projection-runtime';
import { verifyLog } from '@ledger/audit';
import { buildProofBundle, buildProofBundleAt, PROOF_FORMAT_V2 } from '@ledger/audit';
import type { EventStore } from '@ledger/store';
import { ErasedLearnerError, ErasureRefusedError } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { recomputeLeaf } from '@ledger/store';
import { admitted, campaignSent, courseStarted, learnerActive, retracted, surveyAnswered, uuidOf } from '../support/event-builders';
import type { StoreUnderTest } from './event-store.contract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require('../../tools/verify-proof.js') as {
  verifyProofBundle(bundle: unknown): { ok: boolean; checked: string[]; notChecked?: string[]; failure?: string };
};

async function all(store: EventStore): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of store.readAll()) out.push(record);
  return out;
}

/** A replay's count of learners who answered the signup survey: what a figure would count. */
const surveyed = defineProjection({
  name: 'test-surveyed-learners',
  version: 1,
  handles: eventTypes('SignupSurveyAnswered'),
  retraction: { kind: 'none' },
  bitemporal: false,
  ...plainJson<string[]>(),
  initialState: (): string[] => [],
  evolve: (state, event) => [...new Set([...state, event.learnerId])].sort(),
});

const ERASURE = { reason: 'GDPR art. 17 request 2021-114', erasedAt: '2021-05-01T10:00:00Z', eventId: uuidOf(900, 0xee) };

/** Learner `a` (four events, one retracted), learner `b` (two), a campaign: 8 events. */
const HISTORY = [
  surveyAnswered(1, 'a'),
  admitted(2, 'a', 'A2'),
  surveyAnswered(3, 'b'),
  campaignSent(4),
  courseStarted(5, 'a'),
  retracted(6, 'a', uuidOf(5)),
  learnerActive(7, 'b'),
  learnerActive(8, 'c'),
];

/**
 * Erasure (docs/erasure.md), for every adapter: `supported` (SQLite, PostgreSQL) or `refused`
 * (KurrentDB: its events are immutable; the refusal is a clear `not-supported` and changes nothing).
 */
export function erasureContract(open: () => Promise<StoreUnderTest>, mode: 'supported' | 'refused'): void {
  let sut: StoreUnderTest;
  let store: EventStore;
  beforeEach(async () => {
    sut = await open();
    store = sut.store;
  });
  afterEach(async () => {
    await sut.dispose();
  });

  const erase = (learnerId: string, request: Partial<typeof ERASURE> = ERASURE) =>
    store.eraseLearner(learnerId, request as typeof ERASURE);

  it('refuses an erasure request without a reason, or with a bad field, naming it, and changes nothing', async () => {
    await store.append({ events: HISTORY });
    const before = await all(store);
    const { reason: _reason, ...noReason } = ERASURE;
    await expect(erase('a', noReason)).rejects.toMatchObject({ refusal: 'invalid-request', errors: [{ field: 'reason', message: expect.stringMatching(/required/) }] });
    await expect(erase('a', { ...ERASURE, reason: '' })).rejects.toMatchObject({ errors: [{ field: 'reason', message: 'must not be empty' }] });
    await expect(erase('a b', { ...ERASURE, erasedAt: 'yesterday' })).rejects.toMatchObject({
      errors: [{ field: 'learnerId' }, { field: 'erasedAt' }],
    });
    await expect(erase('a', { ...ERASURE, eventId: 'x' })).rejects.toThrow(/eventId must be a UUID/);
    expect(await all(store)).toEqual(before);
  });

  if (mode === 'refused') {
    it('refuses to erase (its events are immutable), saying so, and changes nothing; its leaves stay v1', async () => {
      await store.append({ events: HISTORY });
      const before = await all(store);
      const refused = erase('a');
      await expect(refused).rejects.toBeInstanceOf(ErasureRefusedError);
      await expect(erase('a')).rejects.toMatchObject({ refusal: 'not-supported', message: expect.stringMatching(/immutable.*docs\/erasure\.md/) });
      await expect(store.useLeafV2()).rejects.toMatchObject({ refusal: 'not-supported' });
      expect(await store.leafFormat()).toEqual({ v2From: null });
      expect(await all(store)).toEqual(before);
      expect(before.every((r) => r.leafVersion === undefined)).toBe(true);
    });
    return;
  }

  it('writes leaf v2 from the first event of a new log: salt and commitment beside the payload, never given to projections', async () => {
    expect(await store.leafFormat()).toEqual({ v2From: 1 });
    await store.append({ events: HISTORY.slice(0, 2) });
    const records = await all(store);
    for (const record of records) {
      expect(record).toMatchObject({ leafVersion: 2, salt: expect.stringMatching(/^[0-9a-f]{64}$/), commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(recomputeLeaf(record)).toBe(record.hash);
    }
    expect(records[0]?.salt).not.toBe(records[1]?.salt);
    expect(await store.useLeafV2()).toEqual({ v2From: 1 }); // already v2: unchanged
    const replayed = await stateAt(store, { ...surveyed, evolve: (s, e) => [...s, Object.keys(e).sort().join(',')] }, 2);
    expect(replayed[0]).not.toMatch(/salt|commitment/);
  });

  it('erases a learner in one transaction: payloads gone, LearnerErased appended, leaves, chain, tree and old seals unchanged', async () => {
    await store.append({ events: HISTORY });
    const sealed = await verifyLog(store);
    const before = await all(store);
    expect(await stateAt(store, surveyed, 8)).toEqual(['a', 'b']);

    const outcome = await erase('a');
    expect(outcome).toMatchObject({ status: 'erased', learnerId: 'a', erasedEvents: 4, position: 9 });

    const after = await all(store);
    expect(after).toHaveLength(9);
    const erasedPositions = [1, 2, 5, 6];
    for (const record of after.slice(0, 8)) {
      const was = before[record.position - 1] as LogRecord;
      // What stays: position, type, recordedAt, commitment, leaf hash, chain.
      expect([record.position, record.type, record.recordedAt, record.commitment, record.hash, record.chain]).toEqual([
        was.position, was.type, was.recordedAt, was.commitment, was.hash, was.chain,
      ]);
      if (erasedPositions.includes(record.position)) {
        expect(record).toMatchObject({ erased: true, data: '', occurredAt: '', learnerId: null, eventId: `erased:${record.position}`, streamId: `erased:${record.position}` });
        expect(record.salt).toBeUndefined();
      } else expect(record).toEqual(was);
    }
    expect(after[8]).toMatchObject({ type: 'LearnerErased', learnerId: 'a', streamId: 'erasure-a', occurredAt: ERASURE.erasedAt, eventId: ERASURE.eventId });
    expect(JSON.parse(after[8]?.data ?? '')).toEqual({ reason: ERASURE.reason });

    // Reads: no payload, no id, no stream of the learner is left.
    expect(await store.readStream('learner-a')).toEqual([]);
    expect((await store.findEvents([uuidOf(1), uuidOf(2), uuidOf(5), uuidOf(6)])).size).toBe(0);

    // verify recomputes every leaf (erased ones from the commitment) and the chain; the seal's root is unchanged.
    const verified = await verifyLog(store, { rootsAt: new Set([8]) });
    expect(verified).toMatchObject({ ok: true, checked: 9, erased: 4, leavesNotRecomputed: 0 });
    expect(verified.rootsAt.get(8)).toBe(sealed.merkleRoot);

    // A replay after the erasure no longer counts the learner; one as of before still would, but cannot: the payload is gone.
    expect(await stateAt(store, surveyed, 9)).toEqual(['b']);
  });

  it('is idempotent: a second erasure of the learner answers already-erased and changes nothing', async () => {
    await store.append({ events: HISTORY });
    const first = await erase('a');
    const after = await all(store);
    const second = await erase('a', { ...ERASURE, eventId: uuidOf(901, 0xee), reason: 'asked again' });
    expect(second).toEqual({ status: 'already-erased', learnerId: 'a', position: first.position, recordedAt: first.recordedAt });
    expect(await all(store)).toEqual(after);
  });

  it('refuses an unknown learner (and a non-learner stream), saying so, and changes nothing', async () => {
    await store.append({ events: HISTORY });
    const before = await all(store);
    await expect(erase('nobody')).rejects.toMatchObject({ refusal: 'unknown-learner', message: expect.stringMatching(/no event of learner nobody.*|nothing changed/) });
    await expect(erase('nobody')).rejects.toThrow(/nothing changed/);
    expect(await all(store)).toEqual(before);
    expect((await store.head()).position).toBe(8);
  });

  it('refuses every later event of an erased learner, all of its unit, and takes the other learners', async () => {
    await store.append({ events: HISTORY });
    await erase('a');
    const head = await store.head();
    // Even the very event that was erased, sent again: it is not found as already present, and must not come back.
    const again = store.append({ events: [learnerActive(20, 'd'), surveyAnswered(1, 'a')] });
    await expect(again).rejects.toBeInstanceOf(ErasedLearnerError);
    await expect(store.append({ events: [surveyAnswered(1, 'a')] })).rejects.toMatchObject({ learnerId: 'a', eventId: uuidOf(1) });
    const [group] = await store.appendGroup([{ events: [courseStarted(21, 'a')] }]);
    expect(group).toBeInstanceOf(ErasedLearnerError);
    expect(await store.head()).toEqual(head);
    await expect(store.append({ events: [learnerActive(20, 'd')] })).resolves.toMatchObject([{ status: 'appended', position: 10 }]);
    // A LearnerErased is written by eraseLearner only.
    await expect(
      store.append({ events: [{ eventId: uuidOf(30), type: 'LearnerErased', learnerId: 'b', occurredAt: ERASURE.erasedAt, data: { reason: 'x' } }] }),
    ).rejects.toThrow(/written by eraseLearner only/);
    expect((await store.head()).position).toBe(10);
  });

  it('proves an erased event by its position and leaf, "payload erased"; a v2 event with its payload and salt', async () => {
    await store.append({ events: HISTORY });
    const live = await buildProofBundle(store, uuidOf(3));
    expect(live).toMatchObject({ format: PROOF_FORMAT_V2, payload: { eventId: uuidOf(3), learnerId: 'b', salt: expect.any(String) } });
    const liveVerdict = verifyProofBundle(JSON.parse(JSON.stringify(live)));
    expect(liveVerdict).toMatchObject({ ok: true, notChecked: [expect.stringMatching(/^no checkpoint: signer not checked/)] });
    expect(liveVerdict.checked.join('\n')).toMatch(/payload and salt give the leaf's commitment[\s\S]*hashes to leafHash[\s\S]*leads to rootHash/);
    const swapped = JSON.parse(JSON.stringify(live)) as { payload: { data: string } };
    swapped.payload.data = swapped.payload.data.replace('"FR"', '"DE"');
    expect(verifyProofBundle(swapped)).toMatchObject({ ok: false, failure: expect.stringMatching(/does not match the commitment/) });

    await erase('a');
    await expect(buildProofBundle(store, uuidOf(1))).rejects.toMatchObject({ kind: 'unknown-event' });
    const erased = await buildProofBundleAt(store, 1);
    expect(erased).toMatchObject({ format: PROOF_FORMAT_V2, payload: 'erased', leaf: { v: 2, position: 1, type: 'SignupSurveyAnswered' }, treeSize: 9 });
    const verdict = verifyProofBundle(JSON.parse(JSON.stringify(erased)));
    expect(verdict.ok).toBe(true);
    expect(verdict.notChecked?.join('\n')).toMatch(/the payload: erased/);
    expect(verdict.checked.join('\n')).toMatch(/public part \(v2\) hashes to leafHash[\s\S]*leads to rootHash/);
    const forged = JSON.parse(JSON.stringify(erased)) as { leaf: { type: string } };
    forged.leaf.type = 'LearnerActive';
    expect(verifyProofBundle(forged)).toMatchObject({ ok: false, failure: expect.stringMatching(/does not hash to leafHash/) });
    // The live bundle given before the erasure still verifies: its root is a root of the log still.
    expect(verifyProofBundle(JSON.parse(JSON.stringify(live))).ok).toBe(true);
    expect((await verifyLog(store, { rootsAt: new Set([8]) })).rootsAt.get(8)).toBe(live.rootHash);
  });
}
