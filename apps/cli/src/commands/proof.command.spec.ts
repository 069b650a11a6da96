import type { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProofBundle } from '@ledger/audit';
import type { ProofBundle } from '@ledger/audit';
import { admitted, courseStarted, learnerActive, surveyAnswered, uuidOf } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import { useCasesOver } from '@ledger/testing/use-cases-under-test';
import { proofCommand } from './proof.command';

/** The stand-alone verifier an outside auditor runs: plain CommonJS, so required, not imported. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require(join(__dirname, '..', '..', '..', '..', 'tools', 'verify-proof.js')) as {
  verifyProofBundle(bundle: unknown): { readonly ok: boolean };
};

const EVENTS = [surveyAnswered(1, 'L1'), admitted(2, 'L1', 'A1'), courseStarted(3, 'L1'), learnerActive(4, 'L1'), surveyAnswered(5, 'L2')];

/** `ledger proof`: parses, dispatches to the proof handler (a real context over a real ledger), writes, says how to check. */
describe('ledger proof (proofCommand)', () => {
  let sut: ReturnType<typeof tempSqliteStore>;
  let context: INestApplicationContext | undefined;
  const app = (): INestApplicationContext => {
    if (!context) throw new Error('no context');
    return context;
  };
  const io = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, io: { out: (l: string) => void lines.out.push(l), err: (l: string) => void lines.err.push(l) } };
  };

  beforeEach(async () => {
    sut = tempSqliteStore();
    await sut.store.append({ events: EVENTS });
    context = await useCasesOver(sut.store, sut.dir);
  });
  afterEach(async () => {
    await context?.close();
    await sut.dispose();
  });

  it('writes the bundle to --out and says how to check it', async () => {
    const { lines, io: cli } = io();
    const out = join(sut.dir, 'p.json');
    expect(await proofCommand(app(), uuidOf(3), { out }, cli)).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as ProofBundle;
    // The same bundle, with the ledger's signed checkpoint of the tree of 5 (the key made in the test's folder).
    expect(written).toEqual({ ...JSON.parse(JSON.stringify(await buildProofBundle(sut.store, uuidOf(3)))), checkpoint: expect.stringMatching(/^ledger\.invalid\/impact-ledger\/[0-9a-f-]+\n5\n/) });
    expect(verifyProofBundle(written).ok).toBe(true);
    expect(lines.out).toEqual([
      expect.stringContaining(`event ${uuidOf(3)} (position 3) in the tree of 5 events (the whole log)`),
      `check it with: node tools/verify-proof.js ${out}`,
      'and its signed checkpoint with --key <the ledger key published with the report> (`ledger public-key` prints it)',
    ]);
    expect(lines.err).toEqual([]);
  });

  it('refuses an unknown event or publication with exit 1, bad arguments with exit 2', async () => {
    const unknown = io();
    expect(await proofCommand(app(), uuidOf(99), { out: join(sut.dir, 'x.json') }, unknown.io)).toBe(1);
    expect(unknown.lines.err).toEqual([`proof: no event with id ${uuidOf(99)} in the log`]);
    const noPublication = io();
    expect(await proofCommand(app(), uuidOf(1), { against: 'pub-x', out: join(sut.dir, 'x.json') }, noPublication.io)).toBe(1);
    expect(noPublication.lines.err).toEqual([expect.stringContaining('no sealed publication pub-x')]);
    const empty = io();
    expect(await proofCommand(app(), ' ', {}, empty.io)).toBe(2);
    const unwritable = io();
    expect(await proofCommand(app(), uuidOf(1), { out: join(sut.dir, 'no', 'such', 'dir.json') }, unwritable.io)).toBe(2);
    expect(unwritable.lines.err).toEqual([expect.stringMatching(/^proof: cannot write .*dir\.json/)]);
  });
});
