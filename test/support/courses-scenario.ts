import { courseStarted, retracted, uuidOf } from './event-builders';
import type { UseCasesUnderTest } from './use-cases-under-test';

export const YEAR_2020 = { from: '2020-01-01', to: '2020-12-31' } as const;
/** After the two course starts, before the retraction. */
export const PUBLICATION = '2021-03-15T00:00:00.000Z';
/** After the retraction. */
export const LATER = '2021-04-02T00:00:00.000Z';
/** The moment the use cases are asked at (their `now`). */
export const NOW = '2021-06-01T00:00:00.000Z';

/**
 * Two courses started in 2020, recorded on 2021-01-05 (positions 1, 2); the second
 * retracted as entered twice on 2021-04-01 (position 3). `key.courses-started` is 2 as
 * known at PUBLICATION, 1 as known at LATER.
 */
export async function twoCoursesOneRetracted(sut: UseCasesUnderTest): Promise<void> {
  await sut.recorded('2021-01-05T00:00:00Z', courseStarted(1, 'a', '2020-02-01T00:00:00Z'), courseStarted(2, 'a', '2020-02-01T00:00:01Z'));
  await sut.recorded('2021-04-01T00:00:00Z', retracted(3, 'a', uuidOf(2)));
  sut.clock.set(NOW);
}
