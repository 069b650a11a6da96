import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { noteVerifier, openCheckpoint, verifyConsistency } from '@ledger/integrity';
import { SigningKeyMissingError } from '@ledger/audit';
import { courseStarted } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ConsistencyProofQuery, LatestCheckpointQuery, PublicKeyQuery } from './checkpoint.queries';
import { PeriodicCheckpointCommand } from './periodic-checkpoint.command';
import { SignCheckpointCommand } from './sign-checkpoint.command';

describe('checkpoint use cases (SignCheckpoint, PublicKey, LatestCheckpoint, ConsistencyProof, PeriodicCheckpoint)', () => {
  let sut: UseCasesUnderTest;
  const key = () => join(sut.dir, 'keys', 'signing-key.pem');
  beforeEach(async () => {
    sut = await useCasesOnSqlite({ environment: (dir) => ({ LEDGER_SIGNING_KEY: join(dir, 'keys', 'signing-key.pem'), LEDGER_NAME: 'ledger.example.org' }) });
    await sut.recorded('2021-01-01T00:00:00Z', courseStarted(1, 'a'), courseStarted(2, 'b'), courseStarted(3, 'c'));
  });
  afterEach(() => sut.close());

  it('a read never makes the key: the public key of a ledger that never signed is refused, naming the file', async () => {
    await expect(sut.queries.execute(new PublicKeyQuery())).rejects.toBeInstanceOf(SigningKeyMissingError);
    await expect(sut.queries.execute(new PublicKeyQuery())).rejects.toThrow(key());
    expect(existsSync(key())).toBe(false);
    expect(await sut.queries.execute(new LatestCheckpointQuery())).toBeNull();
  });

  it('signing makes the key (0600) on first use, under the origin <name>/impact-ledger/<log id>, and keeps every checkpoint', async () => {
    const signed = await sut.commands.execute(new SignCheckpointCommand('2021-01-01T00:00:01.000Z'));
    expect(statSync(key()).mode & 0o777).toBe(0o600);
    const { origin, vkey } = await sut.queries.execute(new PublicKeyQuery());
    expect(origin).toBe(`ledger.example.org/impact-ledger/${(await sut.store.identity()).logId}`);
    expect(vkey.startsWith(`${origin}+`)).toBe(true);
    expect(openCheckpoint(signed.note, { logKey: noteVerifier(vkey), origin }).checkpoint.size).toBe(3);
    await sut.recorded('2021-01-02T00:00:00Z', courseStarted(4, 'd'));
    await sut.commands.execute(new SignCheckpointCommand('2021-01-02T00:00:01.000Z'));
    expect((await sut.store.checkpoints()).map((c) => [c.treeSize, c.signedAt])).toEqual([
      [3, '2021-01-01T00:00:01.000Z'],
      [4, '2021-01-02T00:00:01.000Z'],
    ]);
    expect((await sut.queries.execute(new LatestCheckpointQuery()))?.treeSize).toBe(4);
    const [first, second] = (await sut.store.checkpoints()).map((c) => openCheckpoint(c.note, { logKey: noteVerifier(vkey) }).checkpoint);
    const { proof } = await sut.queries.execute(new ConsistencyProofQuery(3, 4));
    expect(first && second && verifyConsistency(3, 4, first.rootHash, second.rootHash, proof)).toBe(true);
  });

  it('periodic checkpoints follow the schedule on the injected clock: by count, by time, never of an unchanged head', async () => {
    const byCount = { everyEvents: 2, everyMinutes: 0 };
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byCount, new Date('2021-01-01T00:01:00Z')))).toMatchObject({ treeSize: 3 });
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byCount, new Date('2021-01-01T00:02:00Z')))).toBeNull();
    await sut.recorded('2021-01-01T00:03:00Z', courseStarted(4, 'd'));
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byCount, new Date('2021-01-01T00:04:00Z')))).toBeNull(); // 1 new event of 2
    await sut.recorded('2021-01-01T00:05:00Z', courseStarted(5, 'e'));
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byCount, new Date('2021-01-01T00:06:00Z')))).toMatchObject({ treeSize: 5 });

    const byTime = { everyEvents: 0, everyMinutes: 10 };
    await sut.recorded('2021-01-01T00:07:00Z', courseStarted(6, 'f'));
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byTime, new Date('2021-01-01T00:15:59.999Z')))).toBeNull(); // 9'59" after the last
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byTime, new Date('2021-01-01T00:16:00Z')))).toMatchObject({ treeSize: 6, signedAt: '2021-01-01T00:16:00.000Z' });
    expect(await sut.commands.execute(new PeriodicCheckpointCommand(byTime, new Date('2021-01-01T09:00:00Z')))).toBeNull(); // nothing new
    expect((await sut.store.checkpoints()).map((c) => c.treeSize)).toEqual([3, 5, 6]);
  });
});
