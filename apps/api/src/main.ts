import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from './create-app';
import { stopGracefully } from './graceful-shutdown';

async function main(): Promise<void> {
  const app = await createApp();
  stopGracefully(app);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(Number(process.env.PORT ?? 3000), host);
  // The port bound (PORT=0 picks a free one).
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.stdout.write(
    `impact ledger API on http://${host}:${port} (LEDGER_DB=${process.env.LEDGER_DB ?? 'sqlite:./data/ledger.db'}), ` +
      `OpenAPI at http://${host}:${port}/docs; keys in ${process.env.API_KEYS_DB ?? './data/api-keys.db'} (ledger keys create)\n`,
  );
}

main().catch((error: unknown) => {
  // One line, not a stack trace: what stopped the start (a ledger that does not exist names the command that creates one).
  process.stderr.write(`impact ledger API did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
