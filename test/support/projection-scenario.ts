import type { LedgerEvent } from '@ledger/events';
import { EventIngestor } from '@ledger/ingest';
import type { AnyProjection, Explanation, Figures, FigureSource, Period, Projection } from '@ledger/projection-kit';
import { explainFrom, figuresFrom, projectionsOf } from '@ledger/projection-kit';
import { stateAt } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { positionAt } from '@ledger/store';
import { ManualClock } from '../contract/event-store.contract';
import { tempSqliteStore } from './temp-sqlite';

/**
 * Given / then for projections, on a real SQLite ledger: events are appended in batches,
 * each recorded at its own moment (transaction time), through the same checks as any
 * client's; then a projection is replayed as known at a moment and asked for figures.
 *
 *   await given()
 *     .recorded('2021-01-10T00:00:00Z', [surveyAnswered(1, 'a')])
 *     .recorded('2021-04-01T00:00:00Z', [retracted(2, 'a', uuidOf(1))])
 *     .knownAt('2021-03-15T00:00:00Z', surveyProjection, (s) => surveyFigures(s, year2020));
 */
export function given(): Scenario {
  return new Scenario();
}

class Scenario {
  private readonly batches: Array<{ recordedAt: string; events: readonly LedgerEvent[] }> = [];

  recorded(recordedAt: string, events: readonly LedgerEvent[]): this {
    this.batches.push({ recordedAt, events });
    return this;
  }

  /**
   * The figures `query` gives from the projection's state as known at `knownAt`, replayed
   * from the log alone; `position` is the last position known then (what a bitemporal
   * projection's queries take).
   */
  async knownAt<S, F>(knownAt: string, projection: Projection<S>, query: (state: S, position: number) => F): Promise<F> {
    return this.replayed(knownAt, async (store, position) => query(await stateAt(store, projection, position), position));
  }

  /**
   * A family's figures (and, for `explain`, one figure's provenance) as known at `knownAt`:
   * every projection it reads replayed from the log alone, K given as the instant too.
   */
  async report(knownAt: string, source: FigureSource, period: Period, explain?: string): Promise<{ figures: Figures; explanation: Explanation | undefined }> {
    return this.replayed(knownAt, async (store, position) => {
      const states = new Map<AnyProjection, unknown>();
      for (const projection of projectionsOf([source])) states.set(projection, await stateAt(store, projection, position));
      const known = { states, knownAt: position, knownAtMs: Date.parse(knownAt) };
      return { figures: figuresFrom(source, known, period), explanation: explain === undefined ? undefined : explainFrom(source, known, period, explain) };
    });
  }

  /** The batches appended to a new SQLite ledger, each at its moment; `read` then gets the store and the last position known at `knownAt`. */
  private async replayed<T>(knownAt: string, read: (store: EventStore, position: number) => Promise<T>): Promise<T> {
    const clock = new ManualClock();
    const sut = tempSqliteStore(clock.now);
    try {
      const ingestor = new EventIngestor(sut.store, clock.now);
      for (const batch of this.batches) {
        clock.set(batch.recordedAt);
        await ingestor.ingest(batch.events);
      }
      return await read(sut.store, await positionAt(sut.store, knownAt));
    } finally {
      await sut.dispose();
    }
  }
}
