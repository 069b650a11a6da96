import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { EventsRejectedError } from '@ledger/ingest';
import { duplicateKeyRejection } from '@ledger/ingest';
import { badRequest } from './bad-request';

/** The only body the API reads. */
export const JSON_MEDIA_TYPE = 'application/json';

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Before the body parser: a body that is not declared JSON (text/plain, a form, no
 * Content-Type) is 415, not parsed as nothing and then refused as a wrong value (400).
 * A request without a body passes (`POST /rebuilds` may send none).
 */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request) || request.is(JSON_MEDIA_TYPE)) return next();
  const type = request.headers['content-type'];
  next(
    new UnsupportedMediaTypeException({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `the body must be JSON (Content-Type: ${JSON_MEDIA_TYPE}), not ${type === undefined ? 'a body without a Content-Type' : type}: nothing of this request was stored`,
    }),
  );
}

/**
 * After the body parser (which keeps the raw body: `rawBody: true`): a body that names a
 * key twice in one object, at any depth, is refused naming the key. `JSON.parse` would keep
 * the last one silently, and what is hashed (RFC 8785) must be what the sender meant.
 * `POST /events` answers with its own error list, by event.
 */
export function refuseDuplicateKeys(request: Request, _response: Response, next: NextFunction): void {
  const raw = (request as Request & { rawBody?: Buffer }).rawBody;
  if (raw === undefined || raw.length === 0) return next();
  const charset = /;\s*charset=([^;\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const text = charset === 'utf-8' || charset === 'utf8' ? raw.toString('utf8') : new TextDecoder(charset).decode(raw);
  const body: unknown = request.body;
  // The refusal is said at the event it is in: `[2].data.x` of a batch is event 2's `data.x`.
  const items: readonly unknown[] = Array.isArray(body) ? body : [body];
  const duplicate = duplicateKeyRejection(text, body);
  if (!duplicate) return next();
  const indexed = /^\[(\d+)\]\.?(.*)$/.exec(duplicate.field);
  if (request.path === '/events') {
    const index = indexed && Array.isArray(body) ? Number(indexed[1]) : 0;
    const field = indexed && Array.isArray(body) ? (indexed[2] ?? '') : duplicate.field;
    const eventId = (items[index] as { eventId?: unknown } | undefined)?.eventId;
    return next(new EventsRejectedError('invalid', [{ index, ...(typeof eventId === 'string' ? { eventId } : {}), field, message: duplicate.message }]));
  }
  next(badRequest([duplicate]));
}
