/**
 * The few decorator builders the wire DTOs use, on top of class-validator.
 *
 * A property gets one constraint that both decides and words its message, so a field gets one
 * precise error (not one per stacked built-in decorator), and class-validator, whose cost grows
 * with the metadata entries it walks for every event, has as few of them as possible.
 */
// class-transformer's @Type reads design:type metadata at class definition: without this import,
// loading the DTOs outside Nest or Jest (a bulk-import script) would throw.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, ValidateBy, ValidateIf, ValidateNested, type ValidationArguments } from 'class-validator';

export const REQUIRED = 'is required';
export const UNKNOWN_FIELD = 'is not allowed (unknown field)';

/** A check returns undefined when the value is fine, else the message for the field. */
export type Check = (value: unknown, owner: Record<string, unknown>) => string | undefined;

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}

/**
 * A plain JSON object: what JSON.parse builds (or a null-prototype record), never an array or a
 * class instance. Tested by prototype depth, not identity with Object.prototype, so objects from
 * another realm (structuredClone in a vm, a worker) still count.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a non-plain object' : `a ${typeof value}`;
}

/**
 * Messages are a single property's; an element of an array is named with this prefix,
 * which validate-event.ts moves from the message into the field path (`held[1]`).
 */
export function atIndex(index: number, message: string): string {
  return `[${index}] ${message}`;
}

export interface RuleOptions {
  /** The check also decides about a missing value (undefined); otherwise missing is `is required`. */
  readonly seesMissing?: boolean;
}

export function Rule(name: string, check: Check, options: RuleOptions = {}): PropertyDecorator {
  const problem = (value: unknown, owner: object): string | undefined =>
    value === undefined && !options.seesMissing ? REQUIRED : check(value, owner as Record<string, unknown>);
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => problem(value, args?.object ?? {}) === undefined,
      // Only called on failure: recomputing there keeps the success path free of message building.
      defaultMessage: (args?: ValidationArguments) => (args && problem(args.value, args.object)) || 'is invalid',
    },
  });
}

/** Optional field: absent is fine, but a present `null` is still checked (and refused). */
export function Optional(): PropertyDecorator {
  return ValidateIf((_owner: unknown, value: unknown) => value !== undefined);
}

export function OneOf(values: readonly string[]): PropertyDecorator {
  const expected = `must be one of: ${values.join(', ')}`;
  return IsIn(values, { message: (args: ValidationArguments) => (args.value === undefined ? REQUIRED : expected) });
}

type DtoClass = new () => object;
/** Picks the DTO class of a nested object from its parent's plain fields (undefined: none applies). */
export type NestedClassOf = (parent: Record<string, unknown>) => DtoClass | undefined;

// Keyed by the decorated class (`target.constructor`): any class, so `unknown`.
const nestedByClass = new Map<unknown, Map<string, NestedClassOf>>();

/** The nested-object properties of a DTO class, for building instances by hand. */
export function nestedPropertiesOf(dto: DtoClass): ReadonlyMap<string, NestedClassOf> | undefined {
  return nestedByClass.get(dto);
}

/**
 * A nested DTO: `@ValidateNested` validates it, `@Type` tells class-transformer its class (for any
 * caller of plainToInstance), and the same choice is recorded for validate-event.ts, which builds
 * instances itself. A value that is not a plain object is refused here, by name.
 */
export function NestedObject(classOf: NestedClassOf): PropertyDecorator {
  // By validation time a plain object has become an instance of its DTO (see validate-event.ts).
  const isObject = Rule('plainObject', (value, owner) => {
    const dto = classOf(owner);
    return (dto !== undefined && value instanceof dto) || isPlainObject(value) ? undefined : `must be an object, not ${kindOf(value)}`;
  });
  return (target: object, property: string | symbol) => {
    if (typeof property !== 'string') throw new TypeError('NestedObject: only string property names');
    const byProperty = nestedByClass.get(target.constructor) ?? new Map<string, NestedClassOf>();
    byProperty.set(property, classOf);
    nestedByClass.set(target.constructor, byProperty);
    Type((help) => classOf(help?.object ?? {}) ?? Object)(target, property);
    isObject(target, property);
    ValidateNested()(target, property);
  };
}
