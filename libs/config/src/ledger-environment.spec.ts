import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, describeEnvironment, validateEnvironment } from './ledger-environment';
import { environmentTable } from './environment-table';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('the environment schema (libs/config)', () => {
  it('gives each variable its one default when it is unset or empty', () => {
    const defaults = validateEnvironment({});
    expect(validateEnvironment({ LEDGER_DB: '', PORT: '' })).toEqual(defaults);
    expect(defaults).toMatchObject({ LEDGER_DB: 'sqlite:./data/ledger.db', PORT: 3000, HOST: '127.0.0.1', LEDGER_WRITE_WAIT_MS: 30_000, API_RATE_LIMIT: 60_000, LOG_LEVEL: 'warn' });
  });

  it('reads numbers as whole numbers, and takes the values given', () => {
    const environment = validateEnvironment({ LEDGER_WRITE_WAIT_MS: '250', PORT: '0', API_RATE_LIMIT: '0', LEDGER_DB: 'postgres://u@h/db', READ_MODELS_DB: '/tmp/rm.db', UNRELATED: 'x' });
    expect(environment).toMatchObject({ LEDGER_WRITE_WAIT_MS: 250, PORT: 0, API_RATE_LIMIT: 0, LEDGER_DB: 'postgres://u@h/db', READ_MODELS_DB: '/tmp/rm.db' });
    expect(environment).not.toHaveProperty('UNRELATED');
  });

  it('takes the SQLite files of the read models and the keys as LEDGER_DB names one, or as plain paths', () => {
    // Taken as a path, `sqlite:/tmp/rm.db` made a folder named `sqlite:` in the working directory.
    expect(validateEnvironment({ READ_MODELS_DB: 'sqlite:/tmp/rm.db', API_KEYS_DB: 'sqlite:keys.db' })).toMatchObject({ READ_MODELS_DB: '/tmp/rm.db', API_KEYS_DB: 'keys.db' });
    expect(validateEnvironment({ READ_MODELS_DB: '/tmp/rm.db', API_KEYS_DB: './data/keys.db' })).toMatchObject({ READ_MODELS_DB: '/tmp/rm.db', API_KEYS_DB: './data/keys.db' });
  });

  it.each([
    ['LEDGER_WRITE_WAIT_MS', '2s', 'a whole number of milliseconds, 0 or more'],
    ['LEDGER_WRITE_WAIT_MS', '-1', 'a whole number of milliseconds, 0 or more'],
    ['PORT', '70000', 'a whole number from 0 to 65535'],
    ['PORT', '1e3', 'a whole number from 0 to 65535'],
    ['API_RATE_WINDOW_SECONDS', '0', 'a whole number of seconds, 1 or more'],
    ['API_RATE_LIMIT', '1.5', 'a whole number, 0 or more'],
    ['LEDGER_DB', 'mysql://x', 'sqlite:<file>, postgres://..., kurrentdb://... or esdb://...'],
    ['READ_MODELS_DB', 'postgres://u@h/db', 'a file path, or `sqlite:<file>`'],
    ['API_KEYS_DB', 'file:///tmp/keys.db', 'a file path, or `sqlite:<file>`'],
    ['LOG_LEVEL', 'loud', 'fatal, error, warn, info, debug, trace, silent'],
    ['LEDGER_WITNESS_KEYS', 'not a key', 'comma-separated `<name>+<key ID>+<base64>` keys'],
    ['LEDGER_WITNESS_KEYS', 'w+0000000a+AAAA, ', 'comma-separated `<name>+<key ID>+<base64>` keys'],
  ])('refuses %s=%s, saying what it must be', (name, value, mustBe) => {
    let refused: unknown;
    try {
      validateEnvironment({ [name]: value });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect((refused as Error).message).toBe(`bad environment: ${name}=${JSON.stringify(value)} must be ${mustBe}`);
  });

  it('names every variable refused at once', () => {
    expect(() => validateEnvironment({ PORT: 'x', HOST: 'h', LOG_LEVEL: 'nope' })).toThrow(/PORT="x" must be .*; LOG_LEVEL="nope" must be/);
  });

  it("the README's table is the schema's: every variable, its default and what it must be", () => {
    const readme = readFileSync(README, 'utf8');
    const table = /<!-- environment:start[^>]*-->\n([\s\S]*?)<!-- environment:end -->/.exec(readme)?.[1];
    // On a difference, the expected table is printed: paste it between the README's markers.
    expect(table).toBe(environmentTable());
    expect(describeEnvironment().map((row) => row.name)).toEqual(Object.keys(validateEnvironment({})));
  });
});
