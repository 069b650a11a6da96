import { ReadModelsQueue } from './read-models.queue';

describe('ReadModelsQueue', () => {
  it('runs the work it is given one at a time, in order, and goes on after a failure', async () => {
    const queue = new ReadModelsQueue();
    const log: string[] = [];
    const work = (name: string, fail = false) => async () => {
      log.push(`${name} starts`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} ends`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run(work('a')), queue.run(work('b', true)), queue.run(work('c'))]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });
});
