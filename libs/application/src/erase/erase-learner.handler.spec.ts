import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePeriod } from '@ledger/projection-kit';
import { courseStarted, surveyAnswered, uuidOf } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ErasureRefusedError } from '@ledger/store';
import { ReportQuery } from '../report/report.query';
import { resultOf } from '../progress';
import { VerifyQuery } from '../verify/verify.query';
import { EraseLearnerCommand } from './erase-learner.command';

const ERASED = 'LZERASEME42';
const KEPT = 'LKEPT7';
const NOW = '2021-06-01T00:00:00.000Z';
const period = parsePeriod('2020-01-01', '2020-12-31');

/** Every file of the read models (the SQLite file and its WAL), as one buffer. */
function readModelBytes(dir: string): Buffer {
  const file = join(dir, 'read-models.db');
  return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('EraseLearnerCommand (EraseLearnerHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await sut.recorded('2021-01-05T00:00:00Z', surveyAnswered(1, ERASED), courseStarted(2, ERASED), surveyAnswered(3, KEPT), courseStarted(4, KEPT));
    sut.clock.set(NOW);
  });
  afterEach(() => sut.close());

  const erase = (learnerId = ERASED, eventId = uuidOf(100), reason = 'art. 17 request') =>
    sut.commands.execute(new EraseLearnerCommand({ learnerId, reason, erasedAt: NOW, eventId }));

  it('erases the learner, rebuilds the read models that held them, and the next report no longer counts them', async () => {
    const before = await sut.queries.execute(new ReportQuery({ period, now: NOW }));
    expect(before.figures['key.courses-started']).toBe(2);
    // The read models hold the learner before: the byte search below can fail.
    expect(readModelBytes(sut.dir).includes(ERASED)).toBe(true);

    const erased = await erase();
    expect(erased).toMatchObject({ status: 'erased', learnerId: ERASED, position: 5, erasedEvents: 2, vacuumed: false });
    expect(erased.readModels.rebuilt).toContain('courses-and-certificates');

    expect(readModelBytes(sut.dir).includes(ERASED)).toBe(false);
    expect(readModelBytes(sut.dir).includes(uuidOf(1))).toBe(false);
    expect(readModelBytes(sut.dir).includes(KEPT)).toBe(true);
    const after = await sut.queries.execute(new ReportQuery({ period, now: NOW }));
    expect(after.figures['key.courses-started']).toBe(1);
    expect(await resultOf(await sut.queries.execute(new VerifyQuery()))).toMatchObject({ ok: true, erased: 2 });
  });

  it('answers a second erasure "already erased", with the first position, and changes nothing', async () => {
    await erase();
    const head = await sut.store.head();
    const again = await erase(ERASED, uuidOf(101), 'asked twice');
    expect(again).toEqual({ status: 'already-erased', learnerId: ERASED, position: 5, recordedAt: expect.any(String), erasedEvents: 0, vacuumed: false, readModels: { rebuilt: [], seconds: 0 } });
    expect(await sut.store.head()).toEqual(head);
  });

  it('refuses an unknown learner, and a request without a reason, naming why; nothing changed', async () => {
    const head = await sut.store.head();
    await expect(erase('LNOBODY')).rejects.toMatchObject({ refusal: 'unknown-learner' });
    const noReason = erase(ERASED, uuidOf(100), '');
    await expect(noReason).rejects.toBeInstanceOf(ErasureRefusedError);
    await expect(noReason).rejects.toMatchObject({ refusal: 'invalid-request', errors: [expect.objectContaining({ field: 'reason' })] });
    expect(await sut.store.head()).toEqual(head);
    expect((await sut.store.readStream(`learner-${ERASED}`)).length).toBe(2);
  });
});
