import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';
import { createApp } from './create-app';
import { stopGracefully } from './graceful-shutdown';

async function main(): Promise<void> {
  const app = await createApp();
  stopGracefully(app);
  // The environment as validated when the API was built (libs/config): the one place it is read.
  const environment = app.get<LedgerEnvironment>(LEDGER_ENVIRONMENT);
  const host = environment.HOST;
  await app.listen(environment.PORT, host);
  // The port bound (PORT=0 picks a free one).
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.stdout.write(
    `impact ledger API on http://${host}:${port} (LEDGER_DB=${environment.LEDGER_DB}), ` +
      `OpenAPI at http://${host}:${port}/docs; keys in ${environment.API_KEYS_DB} (ledger keys create)\n`,
  );
}

main().catch((error: unknown) => {
  // One line, not a stack trace: what stopped the start (a ledger that does not exist names the command that creates one).
  process.stderr.write(`impact ledger API did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
