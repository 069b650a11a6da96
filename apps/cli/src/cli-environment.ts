import type { LedgerEnvironment } from '@ledger/config';
import { validateEnvironment } from '@ledger/config';

/**
 * The CLI's environment, validated against the schema (libs/config): the one place the CLI
 * reads process.env. `ledger` checks it before any command runs (a bad value: exit 2, naming
 * the variable); the commands that open a file themselves (keys, load-history, demo) read
 * their variable here, the others get it from LedgerConfigModule.
 */
export function cliEnvironment(): LedgerEnvironment {
  return validateEnvironment(process.env);
}
