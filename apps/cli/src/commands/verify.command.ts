import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { resultOf } from '@ledger/application';
import { VerifyQuery } from '@ledger/application';
import { drawProgress, TerminalProgress } from '../progress';
import type { CliIo } from '../cli-io';

/** `ledger verify`: checks the whole log; exit 1 naming the first position that does not verify. */
export async function verifyCommand(app: INestApplicationContext, io: CliIo): Promise<number> {
  const progress = new TerminalProgress();
  const result = await resultOf(await app.get(QueryBus).execute(new VerifyQuery()), drawProgress(progress));
  progress.stop();
  if (result.ok) {
    io.out(`verified ${result.checked} events: hash chain and leaf hashes intact; Merkle root ${result.merkleRoot}`);
    return 0;
  }
  const fault = result.fault;
  io.err(`log does NOT verify at position ${fault?.position}: ${fault?.problem}`);
  io.err(`(${result.checked} events before it verified)`);
  return 1;
}
