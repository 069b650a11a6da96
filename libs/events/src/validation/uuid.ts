/**
 * A UUID in its canonical text form: 8-4-4-4-12 hex digits, lower case. Any version or variant
 * is accepted; upper case is refused because eventId is the idempotency key, compared as text,
 * and `A...` and `a...` would otherwise be two keys for one UUID.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export const UUID_MESSAGE = 'must be a UUID (lower-case hex, 8-4-4-4-12)';

/**
 * The `eventId` of a raw event, to repeat beside each of its errors: only when it is a valid
 * one. A malformed id (of any length: 7.9 MB fit in a body) is named by its own error on
 * `eventId`, and the event by its index or line; repeating it would multiply it by the errors.
 */
export function eventIdOf(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { eventId?: unknown }).eventId : undefined;
  return isUuid(id) ? id : undefined;
}
