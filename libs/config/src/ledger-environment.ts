import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, Validate, validateSync } from 'class-validator';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import { ValidatorConstraint } from 'class-validator';
import { DEFAULT_API_KEYS_DB, DEFAULT_LEDGER_DB, DEFAULT_WRITE_WAIT_MS, parseLedgerDb } from './ledger-db';

/** What one variable sets and what its value must be: the README's table and the refusals say these. */
interface VariableDoc {
  readonly sets: string;
  readonly mustBe: string;
}

const DOCS = new Map<string, VariableDoc>();

/** Records the documentation of a variable of LedgerEnvironment (its property name is the variable's name). */
function Variable(doc: VariableDoc): PropertyDecorator {
  return (_target, property) => {
    DOCS.set(String(property), doc);
  };
}

/**
 * A SQLite file as LEDGER_DB names one (`sqlite:<file>`) or as a plain path: both mean the file.
 * Taken as a path, `sqlite:/x/rm.db` made a folder `sqlite:` in the working directory.
 */
const sqliteFile = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.startsWith('sqlite:') ? value.slice('sqlite:'.length) : value);
/** A URL of another kind of store, where a SQLite file is meant: refused, not taken as a relative path. */
const NOT_A_URL = /^(?![a-z][a-z0-9+.-]*:\/\/)/i;

/** An environment variable's text as a whole number, else NaN (so that IsInt refuses it): no `1e3`, `0x10`, ` 5` or `2s`. */
const wholeNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value === undefined ? undefined : Number.NaN);

@ValidatorConstraint({ name: 'namesAStore' })
class NamesAStore implements ValidatorConstraintInterface {
  validate(value: unknown, _args: ValidationArguments): boolean {
    if (typeof value !== 'string') return false;
    try {
      parseLedgerDb(value);
      return true;
    } catch {
      return false;
    }
  }
}

export const DEFAULT_READ_MODELS_DB = './data/read-models.db';
export const DEFAULT_API_AUDIT_LOG = './data/api-requests.log';
export const DEFAULT_SIGNING_KEY = './data/signing-key.pem';
export const DEFAULT_LEDGER_NAME = 'ledger.invalid';
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable the ledger reads (the CLI and the API), each with its one default:
 * the schema `@nestjs/config` validates the environment against (ConfigModule's `validate`),
 * and the README's table (a test checks they agree). Property names are the variables' names.
 */
export class LedgerEnvironment {
  @Variable({ sets: 'the event store ([stores](#stores))', mustBe: 'sqlite:<file>, postgres://..., kurrentdb://... or esdb://...' })
  @IsString()
  @Validate(NamesAStore)
  readonly LEDGER_DB: string = DEFAULT_LEDGER_DB;

  @Variable({ sets: 'projection states and checkpoints (SQLite)', mustBe: 'a file path, or `sqlite:<file>`' })
  @Transform(sqliteFile)
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_A_URL)
  readonly READ_MODELS_DB: string = DEFAULT_READ_MODELS_DB;

  @Variable({ sets: 'API keys, hashes only (SQLite), for the API and `ledger keys`', mustBe: 'a file path, or `sqlite:<file>`' })
  @Transform(sqliteFile)
  @IsString()
  @IsNotEmpty()
  @Matches(NOT_A_URL)
  readonly API_KEYS_DB: string = DEFAULT_API_KEYS_DB;

  @Variable({ sets: 'the API audit log: who made each request that changes something (JSON lines)', mustBe: 'a file path' })
  @IsString()
  @IsNotEmpty()
  readonly API_AUDIT_LOG: string = DEFAULT_API_AUDIT_LOG;

  @Variable({ sets: "the ledger's Ed25519 signing key (PKCS#8 PEM), made 0600 by the first command that signs ([checkpoints](docs/signed-checkpoints.md))", mustBe: 'a file path' })
  @IsString()
  @IsNotEmpty()
  readonly LEDGER_SIGNING_KEY: string = DEFAULT_SIGNING_KEY;

  @Variable({ sets: "the first part of the checkpoints' origin, `<name>/impact-ledger/<log id>`: a host name the operator controls", mustBe: 'letters, digits, `.` and `-` (lower case)' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,199}$/)
  readonly LEDGER_NAME: string = DEFAULT_LEDGER_NAME;

  @Variable({ sets: 'the API signs a checkpoint once this many events were appended since the last one; `0`: never by count', mustBe: 'a whole number, 0 or more' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  readonly CHECKPOINT_EVERY_EVENTS: number = 0;

  @Variable({ sets: 'the API signs a checkpoint of a grown log every so many minutes; `0`: never by time', mustBe: 'a whole number of minutes, 0 or more' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  readonly CHECKPOINT_EVERY_MINUTES: number = 0;

  @Variable({
    sets: 'the witnesses whose cosignatures the API collects (`POST /checkpoint/cosignatures`): their cosignature keys (type 0x04, as `witness.vkey` of a witness state holds), comma-separated; empty: none',
    mustBe: 'comma-separated `<name>+<key ID>+<base64>` keys',
  })
  @IsString()
  @Matches(/^\s*([^\s,+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}\s*)?(,\s*[^\s,+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}\s*)*$/)
  readonly LEDGER_WITNESS_KEYS: string = '';

  @Variable({ sets: "the API key `ledger witness --source <URL>` sends (an auditor's key); empty: none", mustBe: 'a key made by `ledger keys create`' })
  @IsString()
  readonly LEDGER_API_KEY: string = '';

  @Variable({ sets: 'how long a write waits for the store\'s write lock (another writer) before 503 `busy`', mustBe: 'a whole number of milliseconds, 0 or more' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  readonly LEDGER_WRITE_WAIT_MS: number = DEFAULT_WRITE_WAIT_MS;

  @Variable({ sets: 'the port the API listens on (`0`: a free one)', mustBe: 'a whole number from 0 to 65535' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(65_535)
  readonly PORT: number = 3000;

  @Variable({ sets: 'the address the API listens on', mustBe: 'a host name or IP address' })
  @IsString()
  @IsNotEmpty()
  readonly HOST: string = '127.0.0.1';

  @Variable({ sets: 'API requests per key (without a key, per address) and window; `0`: no limit', mustBe: 'a whole number, 0 or more' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  readonly API_RATE_LIMIT: number = 60_000;

  @Variable({ sets: 'the rate limit\'s window', mustBe: 'a whole number of seconds, 1 or more' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  readonly API_RATE_WINDOW_SECONDS: number = 60;

  @Variable({ sets: 'the Chromium that prints `GET /reports?format=pdf` (launched on the first PDF asked, closed on shutdown; missing: that PDF is 503)', mustBe: 'a file path' })
  @IsString()
  @IsNotEmpty()
  readonly CHROMIUM_PATH: string = DEFAULT_CHROMIUM_PATH;

  @Variable({ sets: 'how many PDFs the API prints at once; more wait their turn, up to 8 a slot, then 503 `busy`', mustBe: 'a whole number from 1 to 16' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(16)
  readonly PDF_CONCURRENCY: number = 2;

  @Variable({ sets: 'the API\'s structured log (JSON lines on stdout); `info` adds one line per request, with its id', mustBe: LOG_LEVELS.join(', ') })
  @IsIn(LOG_LEVELS)
  readonly LOG_LEVEL: LogLevel = 'warn';
}

export type LedgerVariable = keyof LedgerEnvironment;

/** One row of the README's table. */
export interface VariableRow {
  readonly name: LedgerVariable;
  readonly default: string;
  readonly sets: string;
  readonly mustBe: string;
}

const DEFAULTS = new LedgerEnvironment();
const NAMES = Object.keys(DEFAULTS).filter((name): name is LedgerVariable => DOCS.has(name));

/** The variables, their defaults and what they must be, in the schema's order. */
export function describeEnvironment(): VariableRow[] {
  return NAMES.map((name) => {
    const doc = DOCS.get(name);
    if (!doc) throw new Error(`${name} has no @Variable documentation`);
    return { name, default: String(DEFAULTS[name]), ...doc };
  });
}

/** A value refused: the message names each variable refused and what it must be. */
export class ConfigurationError extends Error {
  constructor(readonly refused: ReadonlyArray<{ readonly name: string; readonly value: string; readonly mustBe: string }>) {
    super(
      `bad environment: ${refused.map((r) => `${r.name}=${JSON.stringify(r.value)} must be ${r.mustBe}`).join('; ')}`,
    );
    this.name = 'ConfigurationError';
  }
}

/**
 * The environment, validated: each variable of the schema read once from `raw` (an unset or
 * empty one takes its default), the others ignored. Throws ConfigurationError naming every
 * variable refused. This is ConfigModule's `validate`, and the CLI's check at start.
 */
export function validateEnvironment(raw: Readonly<Record<string, unknown>>): LedgerEnvironment {
  const given: Record<string, unknown> = {};
  for (const name of NAMES) {
    const value = raw[name];
    if (value !== undefined && value !== '') given[name] = value;
  }
  const environment = plainToInstance(LedgerEnvironment, given);
  const errors = validateSync(environment, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map((error) => ({ name: error.property, value: String(given[error.property]), mustBe: DOCS.get(error.property)?.mustBe ?? 'valid' })),
    );
  }
  return environment;
}

/** The values a module uses when no environment was given to it (a test building one module alone). */
export function defaultEnvironment(): LedgerEnvironment {
  return DEFAULTS;
}
