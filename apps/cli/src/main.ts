import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import type { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_API_KEYS_DB, DEFAULT_LEDGER_DB, DEFAULT_READ_MODELS_DB } from '@ledger/config';
import { cliEnvironment } from './cli-environment';
import { processIo } from './cli-io';
import { listenForInterrupts } from './interrupts';

// Each command loads its own code when it runs (`await import`): a report does not pay for
// the validation, the demo generator or the ingest pipeline.

/**
 * Runs one command inside a Nest application context, closes it, and exits with the
 * command's code. Reading commands get the store and the read models; writing ones the
 * ingest pipeline too. A command that listens for interrupts itself (`ownSignals`) gets no
 * shutdown hooks: they would close the store under its transaction.
 */
async function withApp(run: (app: INestApplicationContext) => Promise<number>, writes = false, ownSignals = false): Promise<void> {
  const module = writes ? (await import('./cli.module')).CliModule : (await import('./reading-cli.module')).ReadingCliModule;
  // The environment, validated by @nestjs/config: the store's and the read models' files, the write wait.
  const { LedgerConfigModule } = await import('@ledger/config');
  const { module: config } = await LedgerConfigModule.load(cliEnvironment());
  // Errors reach the user as one line from the catch below, not as a framework stack trace.
  const app = await NestFactory.createApplicationContext({ module, imports: [config] }, { logger: false, abortOnError: false });
  if (!ownSignals) app.enableShutdownHooks();
  let code = 1;
  try {
    code = await run(app);
  } finally {
    await app.close();
  }
  process.exitCode = code;
}

// Output piped into `head` and the like: a closed pipe ends the command quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** package.json's version: found from the sources (apps/cli/src) and from dist/apps/cli/src alike. */
function packageVersion(): string {
  for (const up of [['..', '..', '..'], ['..', '..', '..', '..']]) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(__dirname, ...up, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (name === 'impact-ledger' && typeof version === 'string') return version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

const program = new Command()
  .name('ledger')
  .description(`Event-sourced impact ledger. The store is chosen by LEDGER_DB (default ${DEFAULT_LEDGER_DB}); every variable is in the README.`)
  .version(packageVersion(), '-V, --version', "print the ledger's version (package.json)")
  // Every variable checked before any command runs: a bad one stops it (exit 2), naming the variable and what it must be.
  .hook('preAction', () => {
    cliEnvironment();
  });

program
  .command('demo')
  .description('the main job: load the demo years into an empty ledger (run again, it resumes an interrupted load), then show the 2020 report next to the published figures')
  .option('--seed <n>', 'seed of the demo data set', '1')
  .option('--scale <s>', 'fraction of the real volumes (1: the published figures; less: a quicker look)', '1')
  .action(async (options: { seed: string; scale: string }) => {
    const { demoCommand } = await import('./commands/demo.command');
    await demoCommand(options, processIo, (run) => withApp(run));
  });

program
  .command('import')
  .description('validate a whole NDJSON file, then append it all or nothing')
  .argument('<file>', 'NDJSON file, one event per line (EVENTS.md)')
  .action(async (file: string) => {
    const interrupts = listenForInterrupts(processIo);
    const { importCommand } = await import('./commands/import.command');
    await withApp((app) => importCommand(app, file, processIo, interrupts), true, true);
  });

program
  .command('verify')
  .description('check the whole log (positions, leaf hashes, hash chain); name the first position that does not verify')
  .action(async () => {
    const { verifyCommand } = await import('./commands/verify.command');
    await withApp((app) => verifyCommand(app, processIo));
  });

program
  .command('rebuild')
  .description(`build one projection, or every projection, again from position 0 (states in READ_MODELS_DB, default ${DEFAULT_READ_MODELS_DB})`)
  .argument('[projection]', 'the projection to rebuild; all when left out')
  .action(async (name: string | undefined) => {
    const { rebuildCommand } = await import('./commands/rebuild.command');
    await withApp((app) => rebuildCommand(app, name, processIo));
  });

program
  .command('report')
  .description('every figure of KPIS.md for a period (UTC days, both inclusive), as known at a moment (default: now)')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
  .option('--known-at <instant>', 'RFC 3339 moment: only what the ledger had recorded by then (default: now)')
  .option('--format <format>', 'json (KPIS.md document), table (for a person) or csv', 'json')
  .action(async (options: { from: string; to: string; knownAt?: string; format: string }) => {
    const { reportCommand } = await import('./commands/report.command');
    await withApp((app) => reportCommand(app, options, processIo));
  });

program
  .command('explain')
  .description("a figure's provenance: what it counts and the events (positions, ids, learners) that make it")
  .argument('<figure-id>', 'a figure id of KPIS.md, e.g. impact.positive-progressions or funding.2020-12.funded-share')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
  .option('--known-at <instant>', 'RFC 3339 moment: only what the ledger had recorded by then (default: now)')
  .option('--format <format>', 'table, json or csv (the events)', 'table')
  .option('--limit <n>', 'list at most this many events (all by default); the count is always given')
  .option('--after <position>', 'list only the events after this log position (the `next` of a previous page)')
  .action(async (figure: string, options: { from: string; to: string; knownAt?: string; format: string; limit?: string; after?: string }) => {
    const { explainCommand } = await import('./commands/explain.command');
    await withApp((app) => explainCommand(app, figure, options, processIo));
  });

program
  .command('publish')
  .description('record a report in the log itself, sealed with the Merkle root and size of the log at this moment')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
  .option('--known-at <instant>', 'RFC 3339 moment the figures are as known at (default: now)')
  .option('--id <publicationId>', 'the publication id (default: report-<from>-<to>-known-at-<knownAt>)')
  .option('--out <file>', 'also write the report document to this file')
  .action(async (options: { from: string; to: string; knownAt?: string; id?: string; out?: string }) => {
    const { publishCommand } = await import('./commands/publish.command');
    await withApp((app) => publishCommand(app, options, processIo));
  });

program
  .command('audit')
  .description('verify the log and its seals, replay the period from the log alone, check no impact by default and a published report')
  .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
  .option('--known-at <instant>', 'RFC 3339 moment (default: now)')
  .option('--published <report>', "a report document (KPIS.md's JSON) or the id of a publication sealed in the log")
  .option('--out <prefix>', 'write <prefix>.json and <prefix>.md (default: audit-<from>-<to>)')
  .option('--trusted <file|dir>', 'a signed checkpoint held by the auditor, or a witness state folder; repeatable: each must be contained in the log', collect, [])
  .option('--log-key <vkey|file>', "the ledger's public key (`ledger public-key`) the trusted checkpoints are checked with (default: a witness folder's, else LEDGER_SIGNING_KEY's)")
  .action(async (options: { from: string; to: string; knownAt?: string; published?: string; out?: string; trusted: string[]; logKey?: string }) => {
    const { auditCommand } = await import('./commands/audit.command');
    await withApp((app) => auditCommand(app, options, processIo));
  });

program
  .command('proof')
  .description('write a self-contained proof that one event is in the log (event, leaf hash, inclusion proof, root), for tools/verify-proof.js')
  .argument('[event-id]', 'the eventId of the event to prove (or --position)')
  .option('--position <n>', 'prove the event at this log position instead: how an erased event is proved (the bundle says "payload erased")')
  .option('--against <publicationId>', 'prove it in the tree a sealed publication sealed (its root must still match the log)')
  .option('--out <file>', 'where to write the bundle (default: proof-<event-id>.json, proof-position-<n>.json)')
  .action(async (eventId: string | undefined, options: { position?: string; against?: string; out?: string }) => {
    const { proofCommand } = await import('./commands/proof.command');
    await withApp((app) => proofCommand(app, eventId, options, processIo));
  });

program
  .command('erase')
  .description("erase a learner's personal data (GDPR art. 17): LearnerErased recorded, the payloads removed, every leaf, seal and proof kept; the read models rebuilt without them")
  .option('--learner <id>', 'the pseudonymous learner id')
  .option('--reason <text>', 'why (1-500 characters; no personal data)')
  .action(async (options: { learner?: string; reason?: string }) => {
    const { eraseCommand } = await import('./commands/erase.command');
    await withApp((app) => eraseCommand(app, options, processIo), true);
  });

program
  .command('public-key')
  .description("print the ledger's public key, C2SP vkey form (<origin>+<key id>+<base64>); never makes the key (LEDGER_SIGNING_KEY)")
  .action(async () => {
    const { publicKeyCommand } = await import('./commands/checkpoint.command');
    await withApp((app) => publicKeyCommand(app, processIo));
  });

program
  .command('checkpoint')
  .description('sign the head of the log (C2SP tlog-checkpoint, Ed25519), keep it in the ledger and print it; the key is made on first use (LEDGER_SIGNING_KEY)')
  .option('--out <file>', 'write the signed checkpoint to this file instead of stdout')
  .action(async (options: { out?: string }) => {
    const { checkpointCommand } = await import('./commands/checkpoint.command');
    await withApp((app) => checkpointCommand(app, options, processIo));
  });

program
  .command('witness')
  .description("one witness round: fetch the ledger's latest checkpoint, check its signature and that it extends the one held, cosign it (C2SP tlog-cosignature) and keep it; exit 1 on a fork, rollback or bad signature")
  .requiredOption('--source <url|ledger-db>', 'the ledger API (http(s)://..., with LEDGER_API_KEY) or a LEDGER_DB value (sqlite:..., postgres://...)')
  .requiredOption('--state <dir>', 'the witness state folder (made on first use)')
  .requiredOption('--key <file>', "the witness's Ed25519 key, PKCS#8 PEM (made 0600 on first use)")
  .option('--name <name>', "the witness's key name", 'witness')
  .option('--log-key <vkey|file>', "the ledger's public key (`ledger public-key`); needed by a new state, checked against a kept one")
  .option('--submit', 'with an API source: send the cosigned checkpoint back to the ledger (POST /checkpoint/cosignatures), which serves it with its checkpoint')
  .action(async (options: { source: string; state: string; key: string; name: string; logKey?: string; submit?: boolean }) => {
    const { witnessCommand } = await import('./commands/witness.command');
    process.exitCode = await witnessCommand(options, cliEnvironment().LEDGER_API_KEY, processIo);
  });

const keys = program.command('keys').description(`API keys for the HTTP API (API_KEYS_DB, default ${DEFAULT_API_KEYS_DB}); see docs/api.md`);

keys
  .command('create')
  .description('create a key for a role; the key is printed once, alone on stdout (only its hash is kept)')
  .requiredOption('--role <role>', 'ingest, committee, auditor or admin')
  .requiredOption('--name <name>', 'who holds the key')
  .action(async (options: { role: string; name: string }) => {
    const { keysCreateCommand } = await import('./commands/keys.command');
    process.exitCode = await keysCreateCommand(options, processIo);
  });

keys
  .command('list')
  .description('every key (id, role, created, revoked, name), revoked ones too; never a secret')
  .action(async () => {
    const { keysListCommand } = await import('./commands/keys.command');
    process.exitCode = await keysListCommand(processIo);
  });

keys
  .command('revoke')
  .description('revoke a key: the API refuses it from the next request on')
  .argument('<id>', 'the key id, as `keys list` shows it')
  .action(async (id: string) => {
    const { keysRevokeCommand } = await import('./commands/keys.command');
    process.exitCode = await keysRevokeCommand(id, processIo);
  });

program
  .command('load-history')
  .description('import a recorded history (<file> and <file>.batches.json) into an empty ledger, each batch recorded at its own moment; run again, it resumes an interrupted load')
  .argument('<file>', 'NDJSON file written by `ledger generate`, beside its .batches.json manifest')
  .action(async (file: string) => {
    const interrupts = listenForInterrupts(processIo);
    const { loadHistoryCommand } = await import('./commands/load-history.command');
    process.exitCode = await loadHistoryCommand(file, processIo, interrupts);
  });

program
  .command('generate')
  .description('write the calibrated demo data set (2019-2020) and the manifest of its recording batches')
  .requiredOption('--out <file>', 'NDJSON file to write; the manifest goes to <file>.batches.json')
  .option('--seed <n>', 'seed of the deterministic generator', '1')
  .option('--scale <s>', 'fraction of the real volumes, from 0.005 to 1', '1')
  .action(async (options: { out: string; seed: string; scale: string }) => {
    const { generateCommand } = await import('./commands/generate.command');
    process.exitCode = await generateCommand(options, processIo);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
