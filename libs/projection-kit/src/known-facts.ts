/**
 * A fact of a bitemporal read model kept as a plain object (few of them: declarations,
 * fundings, admissions): the position it became known at, and the position of the
 * retraction that removed it (0 while it exists). `LearnerFacts` is the columnar kind.
 */
export interface KnownFact {
  readonly position: number;
  retractedAt: number;
}

/** Whether a fact exists as known at a log position; every position by default. */
export function existsAt(fact: KnownFact, knownAt = Number.MAX_SAFE_INTEGER): boolean {
  return fact.position <= knownAt && (fact.retractedAt === 0 || fact.retractedAt > knownAt);
}

/** Records a retraction on the fact it names, when this read model holds it. */
export function markRetracted(facts: Record<string, KnownFact>, retractedEventId: string, retractionPosition: number): void {
  const fact = facts[retractedEventId];
  if (fact) fact.retractedAt = retractionPosition;
}
