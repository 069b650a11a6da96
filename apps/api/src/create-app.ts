import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiOptions } from './app.module';
import { AppModule } from './app.module';
import { serveOpenApi } from './openapi/openapi';
import { RequestLog } from './request-log/request-log';

/** Largest request body: a batch of about ten thousand events. Larger bodies get 413. */
export const MAX_BODY = '8mb';

/**
 * The API as main.ts serves it and as the end-to-end tests drive it. The ledger, the read
 * models, the API keys and the request log are the files `options` names, else their
 * environment variables (LEDGER_DB, READ_MODELS_DB, API_KEYS_DB, API_AUDIT_LOG), else ./data.
 */
export async function createApp(options: ApiOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  // Before the body parser: a request it refuses (413, malformed JSON) is logged too.
  app.use(app.get(RequestLog).middleware);
  app.useBodyParser('json', { limit: MAX_BODY });
  serveOpenApi(app);
  // No Nest shutdown hooks: main.ts stops the API on SIGTERM/SIGINT in its own order (graceful-shutdown.ts).
  return app;
}
