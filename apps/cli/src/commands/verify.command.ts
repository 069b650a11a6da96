import type { INestApplicationContext } from '@nestjs/common';
import { verifyLog } from '@ledger/audit';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { TerminalProgress } from '../progress';
import type { CliIo } from '../cli-io';

/** `ledger verify`: checks the whole log; exit 1 naming the first position that does not verify. */
export async function verifyCommand(app: INestApplicationContext, io: CliIo): Promise<number> {
  const store = app.get<EventStore>(EVENT_STORE);
  const progress = new TerminalProgress();
  progress.phase('verifying', (await store.head()).position);
  const result = await verifyLog(store, { onProgress: (n) => progress.advance(n) });
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
