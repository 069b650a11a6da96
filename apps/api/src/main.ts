import 'reflect-metadata';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApp();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`impact ledger API on http://${process.env.HOST ?? '127.0.0.1'}:${port} (LEDGER_DB=${process.env.LEDGER_DB ?? 'sqlite:./data/ledger.db'})\n`);
}

void main();
