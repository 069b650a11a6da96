import { courseStarted, learnerActive } from '@ledger/testing/event-builders';
import { EventsRejectedError } from '@ledger/ingest';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { AppendEventsCommand } from './append-events.command';

describe('AppendEventsCommand (AppendEventsHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite({ ingest: true });
    sut.clock.set('2021-06-01T00:00:00Z');
  });
  afterEach(() => sut.close());

  it('appends a batch, recorded at the store clock; the same batch again appends nothing', async () => {
    const batch = [learnerActive(1, 'L1'), courseStarted(2, 'L1')];
    const first = await sut.commands.execute(new AppendEventsCommand(batch));
    expect(first).toEqual([
      expect.objectContaining({ status: 'appended', position: 1, recordedAt: '2021-06-01T00:00:00.000Z' }),
      expect.objectContaining({ status: 'appended', position: 2 }),
    ]);
    const again = await sut.commands.execute(new AppendEventsCommand(batch));
    expect(again.map((e) => e.status)).toEqual(['already-present', 'already-present']);
    expect((await sut.store.head()).position).toBe(2);
  });

  it('refuses the whole batch when one event is bad, naming its index and field, and stores nothing', async () => {
    const refused = sut.commands.execute(new AppendEventsCommand([learnerActive(1, 'L1'), { ...courseStarted(2, 'L1'), occurredAt: 'yesterday' }]));
    await expect(refused).rejects.toBeInstanceOf(EventsRejectedError);
    await expect(refused).rejects.toMatchObject({ kind: 'invalid', errors: [expect.objectContaining({ index: 1, field: 'occurredAt' })] });
    expect((await sut.store.head()).position).toBe(0);
  });
});
