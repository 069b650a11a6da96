import { learnerActive } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import { WrongExpectedRevisionError } from '@ledger/store';
import { CommitterClosedError, GroupCommitter } from './group-committer';

describe('GroupCommitter (over a real SQLite file)', () => {
  let sut: ReturnType<typeof tempSqliteStore>;
  beforeEach(() => {
    sut = tempSqliteStore();
  });
  afterEach(() => sut.dispose());

  it('commits the requests submitted together in one transaction, and answers each', async () => {
    const committer = new GroupCommitter(sut.store);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => committer.submit({ events: [learnerActive(i + 1, `g${i % 5}`)] })));
    expect(committer.stats()).toEqual({ commits: 1, requests: 50 });
    expect(answers.map(([a]) => a?.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('fails a request alone when its own unit fails', async () => {
    const committer = new GroupCommitter(sut.store);
    const results = await Promise.allSettled([
      committer.submit({ events: [learnerActive(1, 'a')] }),
      committer.submit({ events: [learnerActive(2, 'b')], expectedRevisions: new Map([['learner-b', 3]]) }),
      committer.submit({ events: [learnerActive(3, 'c')] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await sut.store.head()).position).toBe(2);
  });

  it('caps a group and commits what arrives during a commit in the next one', async () => {
    const committer = new GroupCommitter(sut.store, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => committer.submit({ events: [learnerActive(i + 1, 'a')] })));
    expect(committer.stats()).toEqual({ commits: 3, requests: 25 });
    expect((await sut.store.readStream('learner-a')).map((r) => r.streamRevision)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('closes by committing and answering what was submitted, then refuses what comes after (a shutdown)', async () => {
    const committer = new GroupCommitter(sut.store, 10);
    // 25 requests: one group in flight, two queued behind it when close is called.
    let answered = 0;
    const submitted = Array.from({ length: 25 }, (_, i) => committer.submit({ events: [learnerActive(i + 1, 'a')] }).finally(() => (answered += 1)));
    const closing = committer.close();
    await expect(committer.submit({ events: [learnerActive(99, 'z')] })).rejects.toBeInstanceOf(CommitterClosedError);
    await closing;
    expect(answered).toBe(25); // every request was answered before close resolved
    const answers = await Promise.all(submitted);
    expect(answers.map(([a]) => a?.position)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(committer.stats()).toEqual({ commits: 3, requests: 25 });
    expect((await sut.store.head()).position).toBe(25);
    await committer.close(); // idle: at once
  });

  it('rejects every request of a group whose commit fails as a whole', async () => {
    const committer = new GroupCommitter(sut.store);
    await sut.store.close(); // the database is gone: the commit itself throws
    const results = await Promise.allSettled([1, 2].map((n) => committer.submit({ events: [learnerActive(n, 'a')] })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
