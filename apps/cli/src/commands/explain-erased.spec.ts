import { QueryBus } from '@nestjs/cqrs';
import { ExplainQuery, ReportQuery } from '@ledger/application';
import { parsePeriod } from '@ledger/projection-kit';
import type { TextChunks } from '@ledger/projection-runtime';
import { provenanceJson } from '@ledger/projection-runtime';
import { admitted, uuidOf } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { provenanceCsv, provenanceTable } from '../report-format';

const NOW = '2021-06-01T00:00:00.000Z';
const period = parsePeriod('2020-01-01', '2020-12-31');
const figure = 'international.admitted-learners';

async function text(chunks: TextChunks): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/**
 * Read models that still name an erased event (erased in the store, not yet rebuilt: what
 * `ledger erase` does not leave, but a store erased by hand or a read model restored may):
 * `explain` lists it as erased, its position, type and leaf, and no payload.
 */
describe('explain lists an erased event as erased (table, csv, json)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await sut.recorded('2021-01-05T00:00:00Z', admitted(1, 'zqx-erased'), admitted(2, 'kept'));
    sut.clock.set(NOW);
    expect((await sut.app.get(QueryBus).execute(new ReportQuery({ period, now: NOW }))).figures[figure]).toBe(2);
    await sut.store.eraseLearner('zqx-erased', { reason: 'art. 17', erasedAt: NOW, eventId: uuidOf(100) });
  });
  afterEach(() => sut.close());

  it('gives its position, type and leaf, and says erased where the id, learner and time were', async () => {
    const [leaf] = (await sut.store.readStream('erased:1')).map((r) => r.hash);
    expect(leaf).toMatch(/^[0-9a-f]{64}$/);
    const explain = () => sut.app.get(QueryBus).execute(new ExplainQuery({ figure, period, now: NOW }));
    // Stale on purpose: the read model was saved before the erasure and catches up from there.
    const json = JSON.parse(await text(provenanceJson(await explain(), {}))) as { events: unknown[] };
    expect(json.events[0]).toEqual({ position: 1, eventId: 'erased:1', type: 'LearnerAdmitted', learnerId: null, occurredAt: '', recordedAt: '2021-01-05T00:00:00.000Z', erased: true, leaf });
    expect(json.events[1]).toMatchObject({ position: 2, eventId: uuidOf(2), learnerId: 'kept' });
    const table = await text(provenanceTable(await explain(), {}));
    expect(table).toMatch(new RegExp(`1  erased \\(leaf ${leaf ?? 'x'}\\)  LearnerAdmitted  erased  erased  2021-01-05`));
    expect(table).not.toContain('zqx-erased');
    expect(await text(provenanceCsv(await explain(), {}))).toContain(`1,erased (leaf ${leaf ?? 'x'}),LearnerAdmitted,erased,erased,`);
  });
});
