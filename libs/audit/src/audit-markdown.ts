import type { FigureDefinition } from '@ledger/projection-kit';
import { figureEntry } from '@ledger/projection-kit';
import type { AuditFindings, EventRef } from './audit';
import { shellLine } from './audit-metadata';

const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');
const value = (v: number | null | undefined) => (v === undefined ? 'missing' : v === null ? 'null' : String(v));
const event = (e: EventRef) =>
  e.erased === true
    ? `${e.type} at position ${e.position} (payload erased; recorded ${e.recordedAt})`
    : `${e.type} \`${e.eventId}\` at position ${e.position} (learner ${e.learnerId ?? '-'}, occurred ${e.occurredAt}, recorded ${e.recordedAt})`;

/**
 * The audit's findings for a person: each check, what it found, and the events behind each
 * finding. With the figure catalogue, each figure a finding names says what it is and what it
 * counts, in the catalogue's words.
 */
export function auditMarkdown(
  f: AuditFindings,
  options: {
    readonly maxDeclarations?: number;
    readonly figures?: readonly FigureDefinition[];
    /** The JSON findings file as written and its SHA-256 (`findingsDigest`), printed so the two files can be tied together. */
    readonly findings?: { readonly file: string; readonly sha256: string };
  } = {},
): string {
  const named = (id: string) => {
    const entry = options.figures && figureEntry(options.figures, id);
    return entry ? `\`${id}\` (${entry.label.en}: ${entry.counts.en})` : `\`${id}\``;
  };
  const lines: string[] = [
    `# Audit of ${f.period.from} to ${f.period.to}, as known at ${f.knownAt}`,
    '',
    `**Result: ${f.ok ? 'clean' : 'NOT CLEAN'}.** Log position ${f.logPosition} of ${f.head}.`,
    '',
    ...provenance(f, options.findings),
    '## 1. The log',
    '',
    f.log.ok
      ? `All ${f.log.checked} events verify: positions gapless, leaf hashes, hash chain, transaction time, stream revisions. Merkle root \`${f.log.merkleRoot}\`.`
      : `**The log does not verify at position ${f.log.fault?.position}**: ${f.log.fault?.problem} (${f.log.checked} events before it verified).`,
    '',
    '## 2. Sealed publications',
    '',
  ];
  if (f.seals.length === 0) lines.push('No publication is sealed in the log.');
  else {
    lines.push('| publication | at position | tree size | sealed root | sealed root matches the log | today\'s log extends it (consistency proof) |', '|---|---:|---:|---|---|---|');
    for (const s of f.seals) {
      const root = s.recomputedRoot === s.sealedRoot ? `\`${s.sealedRoot}\`` : `\`${s.sealedRoot}\` (the log gives \`${s.recomputedRoot ?? 'none'}\`)`;
      lines.push(`| ${s.publicationId} | ${s.position} | ${s.treeSize} | ${root} | ${yes(s.recomputedRoot === s.sealedRoot)} | ${yes(s.extendedByToday)} |`);
    }
  }
  if (f.trusted) {
    lines.push('', '## Trusted checkpoints', '', 'Checkpoints held by the auditor (`--trusted`): each signed by the ledger\'s key, and contained in today\'s log.', '');
    lines.push('| checkpoint | tree size | root | cosigned by | contained |', '|---|---:|---|---|---|');
    for (const t of f.trusted) lines.push(`| ${t.source} | ${t.treeSize ?? '?'} | \`${t.root ?? '?'}\` | ${t.cosignedBy.join(', ') || 'none checked'} | ${t.ok ? 'yes' : `**NO**: ${t.problem ?? ''}`} |`);
  }
  lines.push(
    '',
    '## 3. Replay from the log alone',
    '',
    `${f.replay.figures} figures replayed into fresh projections from position 1 to ${f.logPosition}, compared with the live read models: ` +
      (f.replay.differences.length === 0 ? 'all equal.' : `**${f.replay.differences.length} differ**:`),
  );
  for (const d of f.replay.differences) lines.push(`- ${named(d.figure)}: replayed ${value(d.replayed)}, live ${value(d.live)}`);
  const learners = new Set(f.impact.declarations.map((d) => d.learnerId)).size;
  lines.push(
    '',
    '## 4. No impact by default',
    '',
    `\`impact.positive-progressions\` = ${value(f.impact.figure)}; recounted from the declarations in the log, apart from the projections: ${f.impact.recounted} (${yes(f.impact.figure === f.impact.recounted)} equal). ` +
      `Evidence of other types in the impact read model: ${f.impact.otherEvidenceTypes.length === 0 ? 'none' : `**${f.impact.otherEvidenceTypes.join(', ')}**`}.`,
    '',
    `The ${learners} learners counted, with each declaration that counts (event id, position, evidence):`,
    '',
    '| learner | declaration | position | outcome | evidence |',
    '|---|---|---:|---|---|',
  );
  const shown = f.impact.declarations.slice(0, options.maxDeclarations ?? Infinity);
  for (const d of shown) lines.push(`| ${d.learnerId} | ${d.type} \`${d.eventId}\` | ${d.position} | ${d.outcome} | ${d.evidence.kind}: ${d.evidence.reference} |`);
  if (shown.length < f.impact.declarations.length) lines.push('', `(${f.impact.declarations.length - shown.length} more in the JSON findings.)`);
  // KPIS.md v2: the other figures that rest on declarations, each counted learner listed in the JSON findings.
  const declared = f.declaredFigures.filter((d) => (d.value ?? 0) > 0 || !d.ok);
  if (declared.length > 0) {
    lines.push('', 'Figures of KPIS.md version 2 that rest on declarations (every counted learner, with the declarations that count, is in the JSON findings):', '');
    for (const d of declared) {
      lines.push(`- \`${d.figure}\` = ${value(d.value)}: ${d.learners.length} learners with a declaration in the provenance; ${d.undeclared} counted without one; other evidence types: ${d.otherEvidenceTypes.length === 0 ? 'none' : d.otherEvidenceTypes.join(', ')} (${yes(d.ok)})`);
    }
  }
  if (f.published) {
    const restated = f.published.figures.filter((p) => p.restatement);
    const notReproduced = f.published.figures.filter((p) => !p.reproduced && !p.erased);
    const byErasure = f.published.figures.filter((p) => !p.reproduced && p.erased);
    lines.push(
      '',
      `## 5. The published report (known at ${f.published.knownAt})`,
      '',
      `${f.published.figures.length - notReproduced.length} of ${f.published.figures.length} published figures are what the events said at ${f.published.knownAt}.`,
    );
    for (const p of notReproduced) lines.push(`- **${named(p.figure)}**: published ${value(p.published)}, the events said ${value(p.atPublication)}`);
    if (byErasure.length > 0) {
      lines.push(
        '',
        `${byErasure.length} published figures are no longer given by the events known at ${f.published.knownAt}: learners were erased since, and their events no longer count. ` +
          "Each published value stays proved by the publication's seal (section 2); the erased learners' share of it cannot be recounted, their data being gone.",
      );
      for (const p of byErasure) lines.push(`- ${named(p.figure)}: published ${value(p.published)}, the events known then give ${value(p.atPublication)} today (erased: ${p.erased?.learners ?? 0} learners)`);
    }
    lines.push('', `${restated.length} figures are restated since, each by the events below:`);
    for (const p of restated) {
      const then = p.erased ? `${value(p.published)} published` : `${value(p.atPublication)} then`;
      lines.push('', `### ${named(p.figure)}: ${then}, ${value(p.now)} now${p.restatement?.explained ? '' : ' (**not explained**)'}`, '');
      if ((p.restatement?.erased.learners ?? 0) > 0) lines.push(`- erased: ${p.restatement?.erased.learners ?? 0} learners since publication (their events no longer count; a count, never who)`);
      for (const e of p.restatement?.added ?? []) lines.push(`- recorded after publication: ${event(e)}`);
      for (const r of p.restatement?.retracted ?? []) {
        const reason = r.reason !== undefined ? `, reason: ${JSON.stringify(r.reason)}` : '';
        lines.push(`- retracted since: ${event(r.event)}${r.by ? `, by ${event(r.by)}${reason}` : ' (no retraction found)'}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Who ran the audit, with what, how, and the digest of the JSON findings: printed before the findings. */
function provenance(f: AuditFindings, findings: { readonly file: string; readonly sha256: string } | undefined): string[] {
  const m = f.metadata;
  if (!m && !findings) return [];
  const lines = ['## About this audit', ''];
  if (m) {
    lines.push(
      `- Audited at: ${m.auditedAt}`,
      `- Ledger: version ${m.ledger.version}, commit ${m.ledger.commit === null ? 'unknown (not run from a git checkout)' : `\`${m.ledger.commit}\``}`,
      ...(m.commandLine ? [`- Command: \`ledger ${shellLine(m.commandLine)}\``] : []),
      ...(m.request
        ? [`- Request: \`${m.request.method} ${m.request.path}\` with the body \`${JSON.stringify(m.request.body)}\`, by the API key ${m.request.by.keyId} (${m.request.by.name}, ${m.request.by.role})`]
        : []),
      `- Ledger key: ${m.publicKey === null ? 'none (the ledger has no signing key)' : `\`${m.publicKey}\``}`,
    );
  }
  if (findings) lines.push(`- JSON findings: \`${findings.file}\`, SHA-256 \`${findings.sha256}\``);
  lines.push('');
  return lines;
}
