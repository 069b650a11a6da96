import { describeEnvironment } from './ledger-environment';

/** The README's table of environment variables, from the schema (a unit test checks the README holds exactly this). */
export function environmentTable(): string {
  const rows = describeEnvironment().map((row) => `| \`${row.name}\` | ${row.sets} | \`${row.default}\` | ${row.mustBe.replace(/\|/g, '\\|').replace(/</g, '&lt;')} |`);
  return ['| variable | what it sets | default | what it must be |', '|---|---|---|---|', ...rows, ''].join('\n');
}
