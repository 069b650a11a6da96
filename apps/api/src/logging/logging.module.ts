import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';

/** A request id a client or proxy sent that may be kept: short, plain characters (it goes into every log line). */
const GIVEN_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the caller's X-Request-Id when it is a plain one, else a new UUID; sent back in X-Request-Id. */
export function requestIdOf(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Structured logs (nestjs-pino): JSON lines on stdout at LOG_LEVEL, the framework's own
 * messages included. At `info`, one line per request when it is answered, with its id, method,
 * path, status and time; a line logged while a request is handled carries that request's id.
 * Credentials are never logged. This is the operator's log; who changed what is the API audit
 * log (API_AUDIT_LOG, request-log/), a separate file with its own guarantees.
 */
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [LEDGER_ENVIRONMENT],
  useFactory: (environment: LedgerEnvironment) => ({
    pinoHttp: {
      level: environment.LOG_LEVEL,
      genReqId: requestIdOf,
      // 5xx is the operator's concern; a refused request (4xx) is the caller's, and is told to it.
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
      // No header is logged: the credentials travel in them.
      serializers: {
        req: (request: { id: unknown; method: unknown; url: unknown; headers: unknown }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: unknown }) => ({ statusCode: response.statusCode }),
        // pino-http makes an error of a 5xx answer; its stack would only point into pino-http.
        err: (error: { message: unknown }) => ({ message: error.message }),
      },
    },
  }),
});
