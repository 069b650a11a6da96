import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { writeFile } from 'node:fs/promises';
import { PublicKeyQuery, SignCheckpointCommand } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';

/** `ledger public-key`: the ledger's verifier key (C2SP vkey), alone on stdout. Never makes the key: a missing one is exit 2. */
export async function publicKeyCommand(app: INestApplicationContext, io: CliIo): Promise<number> {
  try {
    const { vkey } = await app.get(QueryBus).execute(new PublicKeyQuery());
    io.out(vkey);
    return 0;
  } catch (error) {
    return refusedInput(io, error);
  }
}

/** `ledger checkpoint [--out FILE]`: signs the head (the key made on first use), keeps it, prints the signed note. */
export async function checkpointCommand(app: INestApplicationContext, options: { readonly out?: string }, io: CliIo): Promise<number> {
  try {
    const signed = await app.get(CommandBus).execute(new SignCheckpointCommand(app.get<Clock>(CLOCK)().toISOString()));
    if (options.out !== undefined) {
      await writeFile(options.out, signed.note);
      io.err(`checkpoint of size ${signed.treeSize} written to ${options.out}`);
    } else {
      process.stdout.write(signed.note);
    }
    return 0;
  } catch (error) {
    return refusedInput(io, error);
  }
}
