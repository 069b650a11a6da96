/**
 * The calibrated demo data set: the school's 2019 and 2020 at real scale (about 11 million
 * events at scale 1), as recording batches for a replay clock.
 *
 * A batch is what the ledger's store appends with its clock set to `recordedAt`: the nightly
 * import at 01:00Z of the events that occurred on the previous UTC day, plus the late ones
 * that arrived that day (fundings confirmed weeks later, alumni-survey answers, corrections).
 * Batch -1 (2019-01-01T01:00Z) migrates the pre-2019 history of learners still in training.
 * Batches increase in recordedAt; within a batch events are in occurredAt order, so a
 * PathEnded or EventRetracted always follows the event it names (the plan records those on
 * the same day or later). Days without any event have no batch.
 *
 * Streaming: months are simulated one at a time and events are built one day at a time;
 * only the planned learners (about 22,600 at scale 1) and per-learner attribute columns are
 * held for the whole run.
 */
import type { LedgerEvent } from '@ledger/events';
import { ActivityEngine } from './demo-activity';
import type { DemoDesign } from './demo-calibration';
import { checkScale, demoDesign } from './demo-calibration';
import type { DemoCorrections, DemoPlan, TimedEvent } from './demo-plan';
import { LAST_DAY_BEFORE_PUBLICATION, buildPlan } from './demo-plan';
import { MONTHS, dayIndex, monthStart, recordingInstant } from './demo-time';
import { checkSeed } from './prng';

export interface DemoOptions {
  readonly seed: number;
  /** Shrinks every volume (default 1: the published figures exactly); within [0.005, 1]. */
  readonly scale?: number;
}

export interface DemoBatch {
  /** The replay clock of the batch (ISO 8601, UTC, milliseconds): the store's recordedAt for all its events. */
  readonly recordedAt: string;
  /** In log order. */
  readonly events: LedgerEvent[];
}

function optionsOf(options: DemoOptions): { seed: number; scale: number } {
  const scale = options.scale ?? 1;
  checkSeed(options.seed);
  checkScale(scale);
  return { seed: options.seed, scale };
}

export function* generateDemoBatches(options: DemoOptions): Generator<DemoBatch, void, undefined> {
  const { seed, scale } = optionsOf(options);
  const design = demoDesign(scale);
  yield* batchesOf(seed, design, buildPlan(seed, design));
}

/** The demo history of one seed and scale, with what its plan alone tells of it. */
export interface DemoHistory {
  /**
   * The recordedAt of its last batch, from the plan (no activity generated): what a complete
   * load of it ends at. Undefined when the plan alone cannot tell.
   */
  readonly lastRecordedAt: string | undefined;
  /** Its batches, as `generateDemoBatches` gives them (the plan is built once, here). */
  batches(): Generator<DemoBatch, void, undefined>;
  /**
   * About what share (0 to 1) of the history's events its batches up to the one recorded at
   * `recordedAt` hold, for a load's estimate of what is left: the activity of each day of 2019
   * and 2020 weighs its month's active learners (the events of a month are 1.4 to 1.5 times
   * those, measured at scale 0.1); the migration and the late batches of 2021 weigh nothing.
   */
  shareRecordedBy(recordedAt: string): number;
}

export function demoHistory(options: DemoOptions): DemoHistory {
  const { seed, scale } = optionsOf(options);
  const design = demoDesign(scale);
  const plan = buildPlan(seed, design);
  // The activity engine records its own retractions by the day before publication at the
  // latest, or on a planned duplicate's day; the months end in 2020. So once the plan
  // records anything after publication, its last day is the history's.
  const lastDay = Math.max(...plan.eventsByDay.keys(), ...plan.duplicates.map((d) => d.retractionDay));
  return {
    lastRecordedAt: lastDay > LAST_DAY_BEFORE_PUBLICATION ? new Date(recordingInstant(lastDay)).toISOString() : undefined,
    batches: () => batchesOf(seed, design, plan),
    shareRecordedBy: (recordedAt) => shareOfActivity(design, recordedAt),
  };
}

function shareOfActivity(design: DemoDesign, recordedAt: string): number {
  const active = design.activeLearners;
  const total = active.reduce((sum, n) => sum + n, 0);
  // The batch recorded at `recordedAt` holds the day before's events.
  const day = dayIndex(Date.parse(recordedAt)) - 1;
  if (day < 0 || total === 0) return 0;
  let done = 0;
  for (let m = 0; m < MONTHS; m += 1) {
    const first = dayIndex(monthStart(m));
    const days = dayIndex(monthStart(m + 1)) - first;
    const weight = active[m] ?? 0;
    if (day >= first + days - 1) done += weight;
    else if (day >= first) done += (weight * (day - first + 1)) / days;
  }
  return Math.min(1, done / total);
}

function* batchesOf(seed: number, design: DemoDesign, plan: DemoPlan): Generator<DemoBatch, void, undefined> {
  const engine = new ActivityEngine(seed, design, plan);
  const planned = plan.eventsByDay;
  const pending = engine.pending;
  const batch = (day: number, sorted: readonly TimedEvent[]): DemoBatch | undefined => {
    const extra = [...(planned.get(day) ?? []), ...(pending.get(day) ?? [])].sort((a, b) => a.ms - b.ms);
    pending.delete(day);
    const events = merge(sorted, extra);
    return events.length === 0 ? undefined : { recordedAt: new Date(recordingInstant(day)).toISOString(), events };
  };

  const migration = batch(-1, []);
  if (migration) yield migration;
  let lastDay = -1;
  for (let m = 0; m < MONTHS; m += 1) {
    const month = engine.month(m);
    const first = dayIndex(monthStart(m));
    for (let d = 0; d < month.days; d += 1) {
      const next = batch(first + d, month.eventsOfDay(d));
      if (next) yield next;
      lastDay = first + d;
    }
  }
  // Late arrivals and corrections recorded in 2021, before and after publication.
  const later = [...new Set([...planned.keys(), ...pending.keys()])].filter((day) => day > lastDay).sort((a, b) => a - b);
  for (const day of later) {
    const next = batch(day, []);
    if (next) yield next;
  }
}

/** Merges two lists sorted by instant; on a tie the activity event comes first. */
function merge(sorted: readonly TimedEvent[], extra: readonly TimedEvent[]): LedgerEvent[] {
  const out = new Array<LedgerEvent>(sorted.length + extra.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < sorted.length || j < extra.length) {
    const a = sorted[i];
    const b = extra[j];
    if (a !== undefined && (b === undefined || a.ms <= b.ms)) {
      out[k++] = a.event;
      i += 1;
    } else if (b !== undefined) {
      out[k++] = b.event;
      j += 1;
    }
  }
  return out;
}

/**
 * The corrections that make "as known now" differ from "as known at publication"
 * (PUBLICATION_KNOWN_AT): cheap, from the plan alone (no activity is generated).
 */
export function demoCorrections(options: DemoOptions): DemoCorrections {
  const { seed, scale } = optionsOf(options);
  return buildPlan(seed, demoDesign(scale)).corrections;
}
