import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EventStoreModuleOptions } from '../../../libs/store/src/event-store.module';
import { AppModule } from './app.module';

/** Largest request body: a batch of about ten thousand events. Larger bodies get 413. */
export const MAX_BODY = '8mb';

/** The API as main.ts serves it and as the end-to-end tests drive it. */
export async function createApp(options: EventStoreModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: MAX_BODY });
  app.enableShutdownHooks();
  return app;
}
