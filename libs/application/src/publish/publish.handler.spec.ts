import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealedPublications } from '@ledger/audit';
import { noteVerifier, openCheckpoint } from '@ledger/integrity';
import { parsePeriod } from '@ledger/projection-kit';
import { uuidOf } from '@ledger/testing/event-builders';
import { NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ProofQuery } from '../proof/proof.query';
import { PublicationExistsError, PublishCommand } from './publish.command';

describe('PublishCommand (PublishHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);

  it('records the report in the log, sealed with the root of the log, with the id and time the command brings', async () => {
    const published = await sut.commands.execute(new PublishCommand({ period, knownAt: PUBLICATION, now: NOW, eventId: uuidOf(50, 0xbb) }));
    expect(published).toMatchObject({
      publicationId: `report-2020-01-01-2020-12-31-known-at-${PUBLICATION}`,
      appended: { eventId: uuidOf(50, 0xbb), position: 4 },
      seal: { treeSize: 3 },
      report: { knownAt: PUBLICATION, logPosition: 2, figures: expect.objectContaining({ 'key.courses-started': 2 }) },
    });
    const [sealed] = await sealedPublications(sut.store);
    expect(sealed).toMatchObject({ publicationId: published.publicationId, report: published.report, seal: published.seal });
    const record = (await sut.store.findEvents([uuidOf(50, 0xbb)])).get(uuidOf(50, 0xbb));
    expect(record?.occurredAt).toBe(NOW);
  });

  it('refuses an id used already, naming it, and stores nothing more', async () => {
    await sut.commands.execute(new PublishCommand({ period, now: NOW, publicationId: 'mission-report-2020', eventId: uuidOf(50, 0xbb) }));
    const again = sut.commands.execute(new PublishCommand({ period, now: NOW, publicationId: 'mission-report-2020', eventId: uuidOf(51, 0xbb) }));
    await expect(again).rejects.toBeInstanceOf(PublicationExistsError);
    await expect(again).rejects.toMatchObject({ publicationId: 'mission-report-2020' });
    expect((await sut.store.head()).position).toBe(4);
  });

  it('refuses a moment after `now` with a RangeError, and stores nothing', async () => {
    await expect(sut.commands.execute(new PublishCommand({ period, knownAt: '2031-01-01T00:00:00Z', now: NOW, eventId: uuidOf(50, 0xbb) }))).rejects.toBeInstanceOf(RangeError);
    expect((await sut.store.head()).position).toBe(3);
  });

  it('signs the checkpoint of the sealed tree, the publication and its event as extension lines: the bytes every proof against it carries', async () => {
    const published = await sut.commands.execute(new PublishCommand({ period, now: NOW, publicationId: 'mission-report-2020', eventId: uuidOf(50, 0xbb) }));
    const { checkpoint } = openCheckpoint(published.checkpoint, { logKey: noteVerifier(published.publicKey) });
    expect(checkpoint).toEqual({
      origin: published.publicKey.split('+')[0],
      size: 3,
      rootHash: Buffer.from(published.seal.merkleRoot, 'hex'),
      extensions: ['publication mission-report-2020', `seal ${uuidOf(50, 0xbb)} 4`],
    });
    const bundle = await sut.queries.execute(new ProofQuery(uuidOf(2), 'mission-report-2020'));
    expect(bundle.checkpoint).toBe(published.checkpoint);
    // Not kept: the ledger's list of checkpoints is the periodic ones (a witness reads its latest).
    expect(await sut.store.checkpoints()).toEqual([]);
  });

  it('refuses to publish with a signing key file it cannot read, and stores nothing', async () => {
    writeFileSync(join(sut.dir, 'signing-key.pem'), 'not a key');
    await expect(sut.commands.execute(new PublishCommand({ period, now: NOW, eventId: uuidOf(50, 0xbb) }))).rejects.toThrow(/signing-key\.pem \(LEDGER_SIGNING_KEY\)/);
    expect((await sut.store.head()).position).toBe(3);
  });
});
