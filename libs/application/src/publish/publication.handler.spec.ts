import { parsePeriod } from '@ledger/projection-kit';
import { uuidOf } from '@ledger/testing/event-builders';
import { NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { UnknownPublicationError } from '../audit/unknown-publication.error';
import { PublicationQuery } from './publication.query';
import { PublishCommand } from './publish.command';

describe('PublicationQuery (PublicationHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  it('reads a publication back as it was published: its figures, its seal, the same signed checkpoint, and the definitions of its figures', async () => {
    const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);
    const published = await sut.commands.execute(new PublishCommand({ period, knownAt: PUBLICATION, now: NOW, publicationId: 'mission-report-2020', eventId: uuidOf(50, 0xbb) }));
    const read = await sut.queries.execute(new PublicationQuery('mission-report-2020'));
    expect(read).toMatchObject({ publicationId: 'mission-report-2020', eventId: uuidOf(50, 0xbb), position: 4, seal: published.seal, report: published.report });
    expect(read.checkpoint).toBe(published.checkpoint);
    expect(read.publicKey).toBe(published.publicKey);
    expect(read.definitions.map((d) => d.id)).toContain('key.courses-started');
  });

  it('refuses an id no publication has, naming it', async () => {
    await expect(sut.queries.execute(new PublicationQuery('nope'))).rejects.toBeInstanceOf(UnknownPublicationError);
    await expect(sut.queries.execute(new PublicationQuery('nope'))).rejects.toThrow('"nope"');
  });
});
