import type { EventRetracted, ProfessionalOutcomeReported, RecordedEvent } from '@ledger/events';
import { consistencyProof, verifyConsistency } from '@ledger/integrity';
import type { Evidence } from '@ledger/projection-kit';
import type { FigureSource, Figures } from '@ledger/projection-kit';
import type { ReportDocument } from '@ledger/projection-runtime';
import { computeReport, normalizeKnownAt, statesAsKnownAt } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import { explainFrom, figuresFrom, inPeriod, projectionsOf, utcDayOf } from '@ledger/projection-kit';
import type { AnyProjection } from '@ledger/projection-kit';
import { statesAt } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import type { LogRecord, ReadAllOptions } from '@ledger/store';
import { recordsOf } from '@ledger/store';
import { toRecordedEvent } from '@ledger/store';
import { positionAt } from '@ledger/store';
import type { Restatement } from './explain-change';
import { eventsAt, explainChange } from './explain-change';
import type { AuditMetadata } from './audit-metadata';
import type { DeclaredFigureCheck } from './declared-figures';
import { checkDeclaredFigures } from './declared-figures';
import { sealedPublications } from './publication';
import type { LogFault } from './verify-log';
import { verifyLog } from './verify-log';
import type { OpenedTrusted, TrustedCheck } from './trusted';
import { checkTrusted } from './trusted';

export type { EventRef } from './explain-change';

export interface SealCheck {
  readonly publicationId: string;
  readonly position: number;
  readonly treeSize: number;
  readonly sealedRoot: string;
  /** The root of the first `treeSize` events of the log as it is today. */
  readonly recomputedRoot: string | null;
  /** The consistency proof from the sealed tree to today's log verifies. */
  readonly extendedByToday: boolean;
}

export interface Declaration {
  readonly learnerId: string;
  readonly eventId: string;
  readonly position: number;
  readonly type: 'ProfessionalOutcomeReported' | 'ApprenticeshipContractSigned';
  readonly outcome: string;
  readonly evidence: { readonly kind: string; readonly reference: string };
}

export interface PublishedCheck {
  readonly figure: string;
  readonly published: number | null;
  /** Recomputed as known at the published `knownAt`. */
  readonly atPublication: number | null | undefined;
  readonly now: number | null | undefined;
  /** The published figure is what the events said at its `knownAt`. */
  readonly reproduced: boolean;
  /**
   * Not reproduced, and learners were erased since the publication: the events known then no
   * longer give the published value because some of them were erased (a count, never who).
   * The published value stays proved by the publication's seal; how much of it the erased
   * learners made cannot be recounted, their payloads being gone (docs/erasure.md).
   */
  readonly erased?: { readonly learners: number };
  /** What changed it since: events recorded after `knownAt`, events retracted since, learners erased since. */
  readonly restatement?: Restatement;
}

export interface AuditFindings {
  /** Who ran it, with what, how (the shell adds it: `ledger audit` does). */
  readonly metadata?: AuditMetadata;
  readonly ok: boolean;
  readonly period: Period;
  readonly knownAt: string;
  readonly logPosition: number;
  readonly head: number;
  readonly log: { readonly ok: boolean; readonly checked: number; readonly merkleRoot: string; readonly fault?: LogFault };
  readonly seals: readonly SealCheck[];
  /** Figures replayed from the log alone into fresh projections, against the live read models. */
  readonly replay: { readonly figures: number; readonly differences: ReadonlyArray<{ figure: string; replayed: number | null | undefined; live: number | null | undefined }> };
  readonly impact: {
    readonly ok: boolean;
    readonly figure: number | null | undefined;
    /** Distinct learners with a declaration, counted here from the log, apart from the projections. */
    readonly recounted: number;
    readonly declarations: readonly Declaration[];
    /** Types of the events the impact read model names as its evidence that are not declarations (must be none). */
    readonly otherEvidenceTypes: readonly string[];
  };
  readonly published?: { readonly knownAt: string; readonly ok: boolean; readonly figures: readonly PublishedCheck[] };
  /** Checkpoints the auditor holds (`--trusted`), each checked against the log (docs/signed-checkpoints.md). */
  readonly trusted?: readonly TrustedCheck[];
  /** KPIS.md v2's figures that rest on declarations (impact.free-users, outcomes.cohort.declared-180*): each counted learner with the declarations that count. */
  readonly declaredFigures: readonly DeclaredFigureCheck[];
}

const DECLARATIONS = ['ProfessionalOutcomeReported', 'ApprenticeshipContractSigned'];

/**
 * The whole log verified once (positions, leaf hashes, chain), and every sealed publication
 * checked against it: the root of its first `treeSize` events, and a consistency proof that
 * today's log extends it (history only appended to, never rewritten). With trusted
 * checkpoints, each against the same tree (`checkTrusted`): the audit's first part, alone.
 */
export async function checkLogAndSeals(store: EventStore, head: number, onProgress?: (phase: string, done: number, total: number) => void, trusted: readonly OpenedTrusted[] = []) {
  const publications = await sealedPublications(store, head);
  const trustedSizes = trusted.flatMap((t) => (t.checkpoint ? [t.checkpoint.size] : []));
  // Shared memory: verify's worker threads write the leaf hashes of their ranges into it themselves.
  const leaves = Buffer.from(new SharedArrayBuffer(head * 32));
  const log = await verifyLog(store, {
    toPosition: head,
    onProgress: (n) => onProgress?.('verifying the log', n, head),
    leaves,
    rootsAt: new Set([...publications.map((p) => p.seal.treeSize), ...trustedSizes]),
  });
  const leafAt = (index: number) => leaves.subarray(index * 32, index * 32 + 32);
  const seals: SealCheck[] = publications.map((p) => {
    const recomputedRoot = log.ok ? (log.rootsAt.get(p.seal.treeSize) ?? null) : null;
    const sealedRoot = Buffer.from(p.seal.merkleRoot, 'hex');
    const extendedByToday =
      log.ok &&
      p.seal.treeSize <= head &&
      verifyConsistency(p.seal.treeSize, head, sealedRoot, Buffer.from(log.merkleRoot, 'hex'), consistencyProof(leafAt, p.seal.treeSize, head));
    return { publicationId: p.publicationId, position: p.position, treeSize: p.seal.treeSize, sealedRoot: p.seal.merkleRoot, recomputedRoot, extendedByToday };
  });
  const checkedTrusted =
    trusted.length === 0
      ? undefined
      : checkTrusted(trusted, {
          head,
          rootsAt: log.rootsAt,
          ...(log.fault ? { faultAt: log.fault.position } : {}),
          matching: seals.filter((s) => s.recomputedRoot === s.sealedRoot).map((s) => s.treeSize),
        });
  return { log, seals, trusted: checkedTrusted };
}

/**
 * No impact by default, checked apart from the projections: the declarations that exist as
 * known at the position, in the period, read from the log; and the types of the events the
 * impact read model gives as its evidence.
 */
async function checkImpact(store: EventStore, period: Period, logPosition: number, evidence: Evidence | undefined, figure: number | null | undefined) {
  const retracted = new Set<string>();
  const records: LogRecord[] = [];
  for await (const record of store.readAll(1, { toPosition: logPosition, types: [...DECLARATIONS, 'EventRetracted'], withoutHashes: true, scan: true })) {
    if (record.erased === true) continue; // erased (docs/erasure.md): the replay no longer counts it either
    if (record.type === 'EventRetracted') retracted.add((toRecordedEvent(record) as RecordedEvent<EventRetracted>).data.retractedEventId);
    else records.push(record);
  }
  const declarations: Declaration[] = [];
  for (const record of records) {
    if (retracted.has(record.eventId) || !inPeriod(utcDayOf(record.occurredAt), period)) continue;
    const event = toRecordedEvent(record);
    const reported = event.type === 'ProfessionalOutcomeReported' ? (event as RecordedEvent<ProfessionalOutcomeReported>).data : undefined;
    declarations.push({
      learnerId: record.learnerId ?? '',
      eventId: record.eventId,
      position: record.position,
      type: record.type as Declaration['type'],
      outcome: reported?.outcome ?? 'apprenticeship',
      evidence: reported?.evidence ?? { kind: 'signed-contract', reference: (JSON.parse(record.data) as { contractId: string }).contractId },
    });
  }
  const recounted = new Set(declarations.map((d) => d.learnerId)).size;
  const otherEvidenceTypes = new Set<string>();
  if (evidence?.kind === 'positions') {
    for (const event of (await eventsAt(store, new Set(evidence.positions))).values()) {
      if (!DECLARATIONS.includes(event.type)) otherEvidenceTypes.add(event.type);
    }
  }
  const ok = figure === recounted && otherEvidenceTypes.size === 0 && evidence?.kind === 'positions';
  return { ok, figure, recounted, declarations, otherEvidenceTypes: [...otherEvidenceTypes] };
}

export interface AuditRequest {
  readonly period: Period;
  readonly knownAt?: string;
  readonly now: string;
  /** A published report (KPIS.md's document) to check against the log. */
  readonly published?: ReportDocument;
  /** Checkpoints the auditor holds, opened with the ledger's key (`openTrusted`). */
  readonly trusted?: readonly OpenedTrusted[];
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * The audit of a period as known at a moment (issue 4): the log verified and every seal
 * checked; the period replayed from the log alone into fresh projections and compared with
 * the live read models (read, never written); no impact by default checked apart from the
 * projections; and, given a published report, each published figure against the events as
 * known at its `knownAt` and as known now, every restatement explained by its events.
 */
export async function auditPeriod(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: AuditRequest,
): Promise<AuditFindings> {
  const knownAt = normalizeKnownAt(request.knownAt ?? request.now, request.now);
  const head = (await store.head()).position;
  const logPosition = await positionAt(store, knownAt);
  const projections: AnyProjection[] = projectionsOf(sources);
  // The log verified (on worker threads, verify-in-parallel.ts) while this thread replays it: two
  // reads of the whole log at once, neither waiting for the other; the findings are the same.
  const [checked, replaying] = await Promise.allSettled([
    checkLogAndSeals(store, head, request.onProgress, request.trusted),
    statesAt(givingTurns(store), projections, logPosition, (n) => request.onProgress?.('replaying from the log', n, logPosition)),
  ]);
  if (checked.status === 'rejected') throw checked.reason;
  if (replaying.status === 'rejected') throw replaying.reason;
  const { log, seals, trusted } = checked.value;
  const replayed = replaying.value;
  const replayedFigures: Figures = {};
  for (const source of sources) Object.assign(replayedFigures, figuresFrom(source, { states: replayed, knownAt: logPosition, knownAtMs: Date.parse(knownAt) }, request.period));
  const live = await computeReport(store, states, sources, { period: request.period, knownAt, now: request.now, save: false });
  const ids = [...new Set([...Object.keys(replayedFigures), ...Object.keys(live.figures)])];
  const differences = ids
    .filter((id) => replayedFigures[id] !== live.figures[id])
    .map((figure) => ({ figure, replayed: replayedFigures[figure], live: live.figures[figure] }));

  const impactSource = sources.find((s) => s.projection.name === 'impact');
  const impactEvidence = impactSource ? explainFrom(impactSource, { states: replayed, knownAt: logPosition, knownAtMs: Date.parse(knownAt) }, request.period, 'impact.positive-progressions')?.evidence : undefined;
  const impact = await checkImpact(store, request.period, logPosition, impactEvidence, replayedFigures['impact.positive-progressions']);
  const declaredFigures = await checkDeclaredFigures(store, sources, { states: replayed, knownAt: logPosition, knownAtMs: Date.parse(knownAt) }, request.period, replayedFigures);

  let published: AuditFindings['published'];
  if (request.published) published = await checkPublished(store, states, sources, request.published, request.now);

  const ok =
    log.ok &&
    seals.every((s) => s.recomputedRoot === s.sealedRoot && s.extendedByToday) &&
    differences.length === 0 &&
    impact.ok &&
    declaredFigures.every((d) => d.ok) &&
    (published?.ok ?? true) &&
    (trusted?.every((t) => t.ok) ?? true);
  return {
    ok,
    period: request.period,
    knownAt,
    logPosition,
    head,
    log,
    seals,
    replay: { figures: ids.length, differences },
    impact,
    declaredFigures,
    ...(published ? { published } : {}),
    ...(trusted ? { trusted } : {}),
  };
}

/**
 * The store, each page it reads followed by a turn of the event loop: a replay on this thread
 * then leaves room for the answers of verify's worker threads, which this thread joins and
 * answers with the next range meanwhile (a page is read and folded without a turn otherwise).
 */
function givingTurns(store: EventStore): EventStore {
  async function* readPages(fromPosition?: number, options?: ReadAllOptions): AsyncIterable<readonly LogRecord[]> {
    for await (const page of store.readPages(fromPosition, options)) {
      yield page;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return new Proxy(store, {
    get(target, key) {
      if (key === 'readPages') return readPages;
      if (key === 'readAll') return (fromPosition?: number, options?: ReadAllOptions) => recordsOf(readPages(fromPosition, options));
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function checkPublished(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  published: ReportDocument,
  now: string,
): Promise<NonNullable<AuditFindings['published']>> {
  const period = published.period;
  const positionThen = await positionAt(store, normalizeKnownAt(published.knownAt, now));
  const positionNow = (await store.head()).position;
  const projections: AnyProjection[] = projectionsOf(sources);
  const then = await statesAsKnownAt(store, states, projections, positionThen, { save: false });
  const current = await statesAsKnownAt(store, states, projections, positionNow, { save: false });
  const erasedSince = await learnersErasedBetween(store, positionThen, positionNow);
  const thenAt = { states: then, knownAt: positionThen, knownAtMs: Date.parse(normalizeKnownAt(published.knownAt, now)) };
  const nowAt = { states: current, knownAt: positionNow, knownAtMs: Date.parse(now) };
  const figures: PublishedCheck[] = [];
  for (const source of sources) {
    const atThen = figuresFrom(source, thenAt, period);
    const atNow = figuresFrom(source, nowAt, period);
    for (const [figure, value] of Object.entries(published.figures)) {
      if (!(figure in atThen)) continue;
      const reproduced = atThen[figure] === value;
      const check: PublishedCheck = {
        figure,
        published: value,
        atPublication: atThen[figure],
        now: atNow[figure],
        reproduced,
        ...(!reproduced && erasedSince > 0 ? { erased: { learners: erasedSince } } : {}),
      };
      if ((atNow[figure] === atThen[figure] && reproduced) || !source.explain) {
        figures.push(check);
        continue;
      }
      // The log as known at publication, read at today's instant: what changed from there is
      // the log's doing; what changed before it, time's alone (a cohort's 180-day window closing).
      const before = explainFrom(source, { ...thenAt, knownAtMs: nowAt.knownAtMs }, period, figure)?.evidence;
      const after = explainFrom(source, nowAt, period, figure)?.evidence;
      const restatement =
        before && after
          ? await explainChange(store, { evidence: before, position: positionThen }, { evidence: after, position: positionNow })
          : { added: [], retracted: [], erased: { learners: erasedSince }, explained: false };
      figures.push({ ...check, restatement });
    }
  }
  const unknown = Object.keys(published.figures).filter((id) => !figures.some((f) => f.figure === id));
  for (const figure of unknown) figures.push({ figure, published: published.figures[figure] ?? null, atPublication: undefined, now: undefined, reproduced: false });
  const ok = figures.every((f) => (f.reproduced || f.erased !== undefined) && (f.restatement?.explained ?? true));
  return { knownAt: published.knownAt, ok, figures };
}

/** How many learners were erased after one position, up to another (`LearnerErased` events): a count, never who. */
async function learnersErasedBetween(store: EventStore, after: number, upTo: number): Promise<number> {
  let learners = 0;
  if (upTo <= after) return 0;
  for await (const record of store.readAll(after + 1, { toPosition: upTo, types: ['LearnerErased'], withoutHashes: true, scan: true })) if (record.type === 'LearnerErased') learners += 1;
  return learners;
}
