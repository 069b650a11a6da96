import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProofError } from '@ledger/audit';
import { uuidOf } from '@ledger/testing/event-builders';
import { twoCoursesOneRetracted } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ProofQuery } from './proof.query';

describe('ProofQuery (ProofHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  it("gives an event's proof of inclusion in the whole log", async () => {
    const bundle = await sut.queries.execute(new ProofQuery(uuidOf(2)));
    // A new ledger writes v2 leaves: the bundle proves the public part and carries the payload with its salt.
    expect(bundle).toMatchObject({ format: 'impact-ledger-proof/2', treeSize: 3, leaf: { position: 2 }, payload: { eventId: uuidOf(2) } });
    expect(bundle.sealedBy).toBeUndefined();
    // Signed with the ledger's key, made in the test's folder by this first proof.
    expect(bundle.checkpoint).toMatch(/^ledger\.invalid\/impact-ledger\/[0-9a-f-]+\n3\n/);
    expect(existsSync(join(sut.dir, 'signing-key.pem'))).toBe(true);
  });

  it('refuses an unknown event, or an unknown publication, with a ProofError saying which, and makes no key file', async () => {
    await expect(sut.queries.execute(new ProofQuery(uuidOf(99)))).rejects.toMatchObject({ kind: 'unknown-event' });
    expect(existsSync(join(sut.dir, 'signing-key.pem'))).toBe(false);
    await expect(sut.queries.execute(new ProofQuery(uuidOf(1), 'pub-x'))).rejects.toBeInstanceOf(ProofError);
    await expect(sut.queries.execute(new ProofQuery(uuidOf(1), 'pub-x'))).rejects.toMatchObject({ kind: 'unknown-publication' });
  });
});
