import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AuditRequest, TrustedCheckpoints } from '@ledger/application';
import type { TrustedInput } from '@ledger/audit';
import { WITNESS_FILES, witnessStateCheckpoints } from '@ledger/audit';
import { AuditDocumentsQuery } from '@ledger/application';
import { UnknownPublicationError } from '@ledger/application';
import { resultOf } from '@ledger/application';
import type { AuditDocuments } from '@ledger/application';
import type { ReportDocument } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import { drawProgress, TerminalProgress } from '../progress';

export interface AuditOptions {
  readonly from: string;
  readonly to: string;
  readonly knownAt?: string;
  /** A report document (file), or the id of a publication sealed in the log. */
  readonly published?: string;
  readonly out?: string;
  /** Checkpoint files or witness state folders. */
  readonly trusted?: readonly string[];
  readonly logKey?: string;
}

/**
 * `--trusted` read: a file is one signed checkpoint; a folder is a witness state, every checkpoint
 * of its history, its ledger key (unless --log-key) and its witness key. A path that cannot be read: RangeError (exit 2).
 */
function trustedCheckpoints(paths: readonly string[], logKey: string | undefined): TrustedCheckpoints {
  const checkpoints: TrustedInput[] = [];
  const witnessVkeys: string[] = [];
  let logVkey = logKey === undefined ? undefined : existsSync(logKey) ? readFileSync(logKey, 'utf8').trim() : logKey;
  for (const path of paths) {
    if (!existsSync(path)) throw new RangeError(`--trusted ${path}: no such file or folder`);
    if (statSync(path).isDirectory()) {
      const held = witnessStateCheckpoints(path);
      if (held.length === 0) throw new RangeError(`--trusted ${path}: a folder, but not a witness state holding a checkpoint`);
      checkpoints.push(...held.map((h) => ({ source: h.file, note: h.note })));
      const stateLogKey = join(path, WITNESS_FILES.logKey);
      if (logVkey === undefined && existsSync(stateLogKey)) logVkey = readFileSync(stateLogKey, 'utf8').trim();
      const witnessKey = join(path, WITNESS_FILES.witnessKey);
      if (existsSync(witnessKey)) witnessVkeys.push(readFileSync(witnessKey, 'utf8').trim());
    } else {
      checkpoints.push({ source: path, note: readFileSync(path, 'utf8') });
    }
  }
  return { checkpoints, ...(logVkey !== undefined ? { logVkey } : {}), witnessVkeys };
}

/** A published report from a file holding KPIS.md's document (or `publish --out`'s file, which holds it): what `--published` names when no publication sealed in the log has that id. */
async function publishedReportFile(published: string): Promise<ReportDocument> {
  let text: string;
  try {
    text = await readFile(published, 'utf8');
  } catch {
    throw new RangeError(`--published ${JSON.stringify(published)} is neither a file nor a publication sealed in the log`);
  }
  const parsed = JSON.parse(text) as Partial<ReportDocument> & { format?: unknown; report?: unknown };
  // What `ledger publish --out` writes: the report inside, with its seal and checkpoint.
  const report = (parsed.format === 'impact-ledger-publication/1' && typeof parsed.report === 'object' && parsed.report !== null ? parsed.report : parsed) as Partial<ReportDocument>;
  if (!report.period || typeof report.knownAt !== 'string' || typeof report.figures !== 'object' || report.figures === null) {
    throw new RangeError(`${published} is not a report document (period, knownAt, logPosition, figures: KPIS.md)`);
  }
  return report as ReportDocument;
}

/**
 * `ledger audit --from --to [--known-at] [--published <file|publication id>] [--out <prefix>]`:
 * writes `<prefix>.json` and `<prefix>.md`, and exits 0 only if every check holds.
 */
export async function auditCommand(app: INestApplicationContext, options: AuditOptions, io: CliIo, commandLine: readonly string[] = process.argv.slice(2)): Promise<number> {
  const queries = app.get(QueryBus);
  const auditedAt = app.get<Clock>(CLOCK)().toISOString();
  const progress = new TerminalProgress();
  let documents: AuditDocuments;
  let prefix: string;
  try {
    const period = parsePeriod(options.from, options.to);
    prefix = options.out ?? `audit-${period.from}-${period.to}`;
    const request: AuditRequest = {
      period,
      ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}),
      now: auditedAt,
      ...(options.trusted !== undefined && options.trusted.length > 0 ? { trusted: trustedCheckpoints(options.trusted, options.logKey) } : {}),
    };
    // The same use case as POST /audits: the findings with their metadata, the JSON, its SHA-256, the Markdown.
    const audit = (published?: AuditRequest['published']) =>
      queries.execute(new AuditDocumentsQuery({ ...request, ...(published !== undefined ? { published } : {}) }, { commandLine: [...commandLine] }, basename(`${prefix}.json`)));
    let running;
    try {
      // A publication sealed in the log first; else a file of that name.
      running = await audit(options.published);
    } catch (error) {
      if (!(error instanceof UnknownPublicationError) || options.published === undefined) throw error;
      running = await audit(await publishedReportFile(options.published));
    }
    documents = await resultOf(running, drawProgress(progress, (phase) => phase.slice(0, 9)));
  } catch (error) {
    progress.stop();
    return refusedInput(io, error);
  }
  progress.stop();
  const { findings } = documents;
  await writeFile(`${prefix}.json`, documents.json);
  await writeFile(`${prefix}.md`, documents.markdown);
  const seals = findings.seals.filter((s) => s.recomputedRoot !== s.sealedRoot || !s.extendedByToday);
  io.out(`audit of ${findings.period.from} to ${findings.period.to} as known at ${findings.knownAt} (position ${findings.logPosition}): ${findings.ok ? 'CLEAN' : 'NOT CLEAN'}`);
  io.out(`- log: ${findings.log.ok ? `${findings.log.checked} events verify` : `does not verify at position ${findings.log.fault?.position}: ${findings.log.fault?.problem}`}`);
  io.out(`- seals: ${findings.seals.length - seals.length} of ${findings.seals.length} publications still sealed by today's log${seals.map((s) => `; ${s.publicationId} NOT`).join('')}`);
  io.out(`- replay from the log alone: ${findings.replay.figures} figures, ${findings.replay.differences.length} differ from the live read models`);
  io.out(`- no impact by default: ${findings.impact.recounted} learners with a declaration, impact figure ${findings.impact.figure}${findings.impact.ok ? '' : ' (MISMATCH)'}`);
  if (findings.published) {
    const notReproduced = findings.published.figures.filter((f) => !f.reproduced).length;
    const restated = findings.published.figures.filter((f) => f.restatement);
    const byErasure = findings.published.figures.filter((f) => !f.reproduced && f.erased);
    io.out(
      `- published report: ${findings.published.figures.length - notReproduced} of ${findings.published.figures.length} figures reproduced as known at ${findings.published.knownAt}; ` +
        `${restated.length} restated since, ${restated.filter((f) => f.restatement?.explained).length} explained by their events`,
    );
    // Counts, never who: the erased learners' share of a published value cannot be recounted; the seal still proves the value.
    if (byErasure.length > 0) {
      io.out(`  ${byErasure.length} no longer given by the events known then: erased: ${byErasure[0]?.erased?.learners ?? 0} learners since publication (the published values stay proved by the seal)`);
    }
  }
  if (findings.trusted) {
    const bad = findings.trusted.filter((t) => !t.ok);
    io.out(`- trusted checkpoints: ${findings.trusted.length - bad.length} of ${findings.trusted.length} contained in today's log${bad.map((t) => `; ${t.problem}`).join('')}`);
  }
  io.out(`findings: ${prefix}.json, ${prefix}.md`);
  return findings.ok ? 0 : 1;
}
