import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { systemClock } from '@ledger/store';
import { openEventStore } from '@ledger/store';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as ConsoleLogger } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { LedgerConfigModule } from '@ledger/config';
import type { ApiOptions } from './app.module';
import { AppModule } from './app.module';
import { errorsInTheLanguageAsked } from './http/error-language';
import { refuseDuplicateKeys, requireJsonBody } from './http/json-body';
import { httpMetrics } from './metrics/http-metrics';
import { LedgerMetrics } from './metrics/metrics.registry';
import { serveOpenApi } from './openapi/openapi';
import { RequestLog } from './request-log/request-log';

/** Largest request body: a batch of about ten thousand events. Larger bodies get 413. */
export const MAX_BODY = '8mb';

/**
 * The headers of every answer (helmet): no sniffing, no framing, no referrer, and a CSP
 * that lets the OpenAPI page (/docs) run its own scripts and inline styles and nothing
 * else. The dashboard sets a stricter CSP of its own (DASHBOARD_CSP).
 */
const HELMET = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // The Swagger UI page holds a <style> block and style attributes.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/** What a middleware does to the headers of an answer: set one, or remove one. */
type HeaderStep = readonly ['set', string, string] | readonly ['remove', string];

/**
 * The header steps of a middleware whose headers depend on nothing of the request (helmet
 * as configured above: every value is a constant), recorded once by running it on a
 * stand-in answer. Replayed, they cost one loop per request instead of helmet's twelve
 * middlewares; the answer carries the same headers, in the same order.
 */
export function recordHeaderSteps(middleware: (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void): readonly HeaderStep[] {
  const steps: HeaderStep[] = [];
  const response = {
    setHeader: (name: string, value: unknown) => steps.push(['set', name, String(value)]),
    removeHeader: (name: string) => steps.push(['remove', name]),
  };
  let passed = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error !== undefined) throw error instanceof Error ? error : new Error('the security headers middleware refused a plain request');
    passed = true;
  });
  if (!passed) throw new Error('the security headers middleware did not pass the request on at once: its headers cannot be recorded');
  return steps;
}

const SECURITY_HEADER_STEPS = recordHeaderSteps(HELMET);

/** helmet's headers (HELMET), replayed from SECURITY_HEADER_STEPS. */
export function securityHeaders(_request: Request, response: Response, next: NextFunction): void {
  for (const step of SECURITY_HEADER_STEPS) {
    if (step[0] === 'set') response.setHeader(step[1], step[2]);
    else response.removeHeader(step[1]);
  }
  next();
}

/** API answers are figures as known now, and some are not public: never kept by a cache. The dashboard's files set their own. */
function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * The API as main.ts serves it and as the end-to-end tests drive it. The ledger, the read
 * models, the API keys and the request log are the files `options` names, else their
 * environment variables (LEDGER_DB, READ_MODELS_DB, API_KEYS_DB, API_AUDIT_LOG), else ./data.
 * The ledger must exist (`ledger import`, `load-history` or `demo` create one).
 * A bad environment variable stops it first (ConfigurationError, naming the variable).
 */
export async function createApp(options: ApiOptions = {}): Promise<NestExpressApplication> {
  // The environment first (one validation, by @nestjs/config), then the ledger, before any module
  // makes a file (keys, request log, read models): the API never creates a ledger, and one that
  // does not exist stops it here (LedgerNotFoundError).
  const { module: config, environment } = await LedgerConfigModule.load(options.environment);
  const clock = options.clock ?? systemClock;
  const store =
    options.store ??
    (options.openStore
      ? await options.openStore(clock)
      : await openEventStore(options.ledgerDb ?? environment.LEDGER_DB, {
          create: false,
          clock,
          writeWaitMs: environment.LEDGER_WRITE_WAIT_MS,
          // Before the structured logger exists: Nest's console logger says why the start takes minutes.
          notice: (message) => new ConsoleLogger('EventStore').warn(message),
        }));
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...options, clock, store }, config), {
      // The framework's messages wait for the structured logger (nestjs-pino), set below.
      bufferLogs: true,
      bodyParser: false,
      // The raw body is kept for refuseDuplicateKeys, which reads the text JSON.parse flattened.
      rawBody: true,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(httpMetrics(app.get(LedgerMetrics)));
  app.use(securityHeaders);
  app.use(noStore);
  // Errors in French when the request prefers it (the dashboard in French): the wrapper is on before any answer is written.
  app.use(errorsInTheLanguageAsked);
  // Before the body parser: a request it refuses (413, malformed JSON) is logged too.
  app.use(app.get(RequestLog).middleware);
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: MAX_BODY });
  app.use(refuseDuplicateKeys);
  serveOpenApi(app);
  // No Nest shutdown hooks: main.ts stops the API on SIGTERM/SIGINT in its own order (graceful-shutdown.ts).
  return app;
}
