import type { INestApplicationContext } from '@nestjs/common';
import { readFile, writeFile } from 'node:fs/promises';
import type { AuditFindings } from '@ledger/audit';
import { auditPeriod } from '@ledger/audit';
import { auditMarkdown } from '@ledger/audit';
import { sealedPublications } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-kit';
import { parsePeriod } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-kit';
import { PROJECTION_STATES } from '@ledger/projection-kit';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { definitionsOf } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-kit';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import { TerminalProgress } from '../progress';

export interface AuditOptions {
  readonly from: string;
  readonly to: string;
  readonly knownAt?: string;
  /** A report document (file), or the id of a publication sealed in the log. */
  readonly published?: string;
  readonly out?: string;
}

/** A published report: a file holding KPIS.md's document, or a publication sealed in the log. */
async function publishedReport(store: EventStore, published: string): Promise<ReportDocument> {
  const sealed = (await sealedPublications(store)).find((p) => p.publicationId === published);
  if (sealed) return sealed.report;
  let text: string;
  try {
    text = await readFile(published, 'utf8');
  } catch {
    throw new RangeError(`--published ${JSON.stringify(published)} is neither a file nor a publication sealed in the log`);
  }
  const report = JSON.parse(text) as Partial<ReportDocument>;
  if (!report.period || typeof report.knownAt !== 'string' || typeof report.figures !== 'object' || report.figures === null) {
    throw new RangeError(`${published} is not a report document (period, knownAt, logPosition, figures: KPIS.md)`);
  }
  return report as ReportDocument;
}

/**
 * `ledger audit --from --to [--known-at] [--published <file|publication id>] [--out <prefix>]`:
 * writes `<prefix>.json` and `<prefix>.md`, and exits 0 only if every check holds.
 */
export async function auditCommand(app: INestApplicationContext, options: AuditOptions, io: CliIo): Promise<number> {
  const store = app.get<EventStore>(EVENT_STORE);
  const progress = new TerminalProgress();
  let findings: AuditFindings;
  try {
    const period = parsePeriod(options.from, options.to);
    const published = options.published === undefined ? undefined : await publishedReport(store, options.published);
    let phase = '';
    findings = await auditPeriod(store, app.get<ProjectionStateStore>(PROJECTION_STATES), app.get<readonly FigureSource[]>(FIGURE_REGISTRY), {
      period,
      ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}),
      now: app.get<Clock>(CLOCK)().toISOString(),
      ...(published ? { published } : {}),
      onProgress: (name, done, total) => {
        if (name !== phase) progress.phase((phase = name).slice(0, 9), total);
        progress.advance(done);
      },
    });
  } catch (error) {
    progress.stop();
    return refusedInput(io, error);
  }
  progress.stop();
  const prefix = options.out ?? `audit-${findings.period.from}-${findings.period.to}`;
  await writeFile(`${prefix}.json`, `${JSON.stringify(findings, null, 2)}\n`);
  await writeFile(`${prefix}.md`, auditMarkdown(findings, { maxDeclarations: 10_000, figures: definitionsOf(app.get<readonly FigureSource[]>(FIGURE_REGISTRY)) }));
  const seals = findings.seals.filter((s) => s.recomputedRoot !== s.sealedRoot || !s.extendedByToday);
  io.out(`audit of ${findings.period.from} to ${findings.period.to} as known at ${findings.knownAt} (position ${findings.logPosition}): ${findings.ok ? 'CLEAN' : 'NOT CLEAN'}`);
  io.out(`- log: ${findings.log.ok ? `${findings.log.checked} events verify` : `does not verify at position ${findings.log.fault?.position}: ${findings.log.fault?.problem}`}`);
  io.out(`- seals: ${findings.seals.length - seals.length} of ${findings.seals.length} publications still sealed by today's log${seals.map((s) => `; ${s.publicationId} NOT`).join('')}`);
  io.out(`- replay from the log alone: ${findings.replay.figures} figures, ${findings.replay.differences.length} differ from the live read models`);
  io.out(`- no impact by default: ${findings.impact.recounted} learners with a declaration, impact figure ${findings.impact.figure}${findings.impact.ok ? '' : ' (MISMATCH)'}`);
  if (findings.published) {
    const notReproduced = findings.published.figures.filter((f) => !f.reproduced).length;
    const restated = findings.published.figures.filter((f) => f.restatement);
    io.out(
      `- published report: ${findings.published.figures.length - notReproduced} of ${findings.published.figures.length} figures reproduced as known at ${findings.published.knownAt}; ` +
        `${restated.length} restated since, ${restated.filter((f) => f.restatement?.explained).length} explained by their events`,
    );
  }
  io.out(`findings: ${prefix}.json, ${prefix}.md`);
  return findings.ok ? 0 : 1;
}
