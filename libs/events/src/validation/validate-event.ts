/**
 * Shape validation of one wire event (EVENTS.md), with class-validator.
 *
 * Rules that need the log (retraction targets, PathEnded admissions, eventId conflicts) are
 * not checked here. Instances are built by hand rather than with class-transformer's
 * plainToInstance: it is several times slower, and it silently drops a `constructor` key
 * and assigns `__proto__`, where both must be refused as unknown fields.
 */
import { Validator, type ValidationError, type ValidatorOptions } from 'class-validator';
import { EVENT_TYPES, type LedgerEvent } from '../catalog';
import { EventEnvelope, NOW_MS } from './envelope.dto';
import { lendYearToMeasure } from './commitment-set.data';
import { cacheValidationMetadata } from './metadata-cache';
import { UNKNOWN_FIELD, isOneOf, isPlainObject, kindOf, nestedPropertiesOf } from './rule';

export interface FieldError {
  /** Dotted path from the event root (`data.statusAssessment.held[1]`); `''` names the event itself. */
  readonly field: string;
  readonly message: string;
}

export type Validated =
  | { readonly ok: true; readonly event: LedgerEvent }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

cacheValidationMetadata();
const validator = new Validator();
const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  // Off so that a DTO without properties (LearnerActive's `{}`) is whitelisted, not refused whole.
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/**
 * Validates the shape of `raw` (typically one JSON.parse result). `now` bounds `occurredAt`
 * (at most 5 minutes ahead); it is a parameter so that this code never reads the clock.
 * On success `event` is `raw` itself, unchanged.
 */
export function validateEvent(raw: unknown, now: Date): Validated {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('validateEvent: `now` is an invalid Date');
  if (!isPlainObject(raw)) {
    return { ok: false, errors: [{ field: '', message: `the event must be a JSON object, not ${kindOf(raw)}` }] };
  }

  const errors: FieldError[] = [];
  const envelope = instantiate(EventEnvelope, raw, '', errors) as EventEnvelope;
  envelope[NOW_MS] = nowMs;
  // `{year}` in a commitment's figure reads the data's year: the measure is given it.
  if (typeof envelope.data === 'object') lendYearToMeasure(envelope.data);
  collect(validator.validateSync(envelope, OPTIONS), '', errors);

  if (errors.length === 0) {
    // JSON may carry a lone surrogate (`"\ud800"`); it has no UTF-8 form, so it cannot be hashed (RFC 8785).
    const malformed = malformedText(raw, '');
    if (malformed === undefined) return { ok: true, event: raw as unknown as LedgerEvent };
    return { ok: false, errors: [{ field: malformed, message: 'holds a lone UTF-16 surrogate, which has no UTF-8 form' }] };
  }
  // With an unknown type there is no data shape to hold `data` to: one error on `type` says it all.
  const reported = isOneOf(EVENT_TYPES, raw['type']) ? errors : errors.filter((e) => !isUnder(e.field, 'data'));
  return { ok: false, errors: reported };
}

/**
 * Copies every own key of `plain` (unknown ones too, for the whitelist to name) onto a new
 * DTO instance, recursing into nested DTOs. `__proto__` and `constructor` are refused here:
 * assigned, they would change what class-validator takes the instance's class to be.
 */
function instantiate(dto: new () => object, plain: Record<string, unknown>, path: string, errors: FieldError[]): object {
  const instance = new dto() as Record<string, unknown>;
  const nested = nestedPropertiesOf(dto);
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') {
      errors.push({ field: join(path, key), message: UNKNOWN_FIELD });
      continue;
    }
    let value = plain[key];
    const classOf = nested?.get(key);
    if (classOf !== undefined && isPlainObject(value)) {
      const nestedDto = classOf(plain);
      if (nestedDto !== undefined) value = instantiate(nestedDto, value, join(path, key), errors);
    }
    instance[key] = value;
  }
  return instance;
}

const ELEMENT = /^\[(\d+)\] /;

function collect(validationErrors: readonly ValidationError[], path: string, out: FieldError[]): void {
  for (const error of validationErrors) {
    const field = join(path, error.property);
    const constraints = error.constraints;
    if (constraints === undefined) {
      collect(error.children ?? [], field, out);
      continue;
    }
    // A value wrong in itself (not an object, an array...) is not also searched inside.
    const types = Object.keys(constraints);
    for (const type of types) {
      if (type === 'nestedValidation' && types.length > 1) continue; // said better by `plainObject`
      const message = type === 'whitelistValidation' ? UNKNOWN_FIELD : (constraints[type] ?? '');
      const element = ELEMENT.exec(message);
      out.push(
        element ? { field: `${field}[${element[1]}]`, message: message.slice(element[0].length) } : { field, message },
      );
    }
  }
}

/** The path of the first string or member name that is not well-formed Unicode, if any. */
function malformedText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = malformedText(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      if (!key.isWellFormed()) return join(path, key);
      const found = malformedText(member, join(path, key));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isUnder(field: string, root: string): boolean {
  return field === root || field.startsWith(`${root}.`) || field.startsWith(`${root}[`);
}
