import { lastValueFrom, toArray } from 'rxjs';
import { merkleRoot } from '@ledger/integrity';
import { twoCoursesOneRetracted } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { VerifyQuery } from './verify.query';

describe('VerifyQuery (VerifyHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  it('streams `verifying` up to the head, then the verification and the Merkle root of the log', async () => {
    const events = await lastValueFrom((await sut.queries.execute(new VerifyQuery())).pipe(toArray()));
    expect(events[0]).toEqual({ type: 'progress', phase: 'verifying', done: 0, total: 3 });
    const leaves: Buffer[] = [];
    for await (const record of sut.store.readAll(1)) leaves.push(Buffer.from(record.hash, 'hex'));
    expect(events.at(-1)).toEqual({ type: 'result', result: expect.objectContaining({ ok: true, checked: 3, merkleRoot: merkleRoot(leaves).toString('hex') }) });
  });

  it('names the first position that does not verify', async () => {
    sut.store.connection.prepare('UPDATE events SET data = ? WHERE position = 2').run('{"courseId":"C9","theme":"data"}');
    const events = await lastValueFrom((await sut.queries.execute(new VerifyQuery())).pipe(toArray()));
    expect(events.at(-1)).toEqual({ type: 'result', result: expect.objectContaining({ ok: false, checked: 1, fault: expect.objectContaining({ position: 2 }) }) });
  });
});
