import type { Status, StatusAssessment } from '@ledger/events';
import { epochMsOf, STATUSES } from '@ledger/events';
import type { Explanation, FigureContext, FigureDefinition, KnownFact, Period } from '@ledger/projection-kit';
import { defineProjection, existsAt, inPeriod, markRetracted, periodBounds, plainJson, utcDayOf } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';
import { factsIn, learnerActivityProjection, statusesOf } from '../learner-activity/learner-activity.projection';
import { statusBit } from '../learner-profiles/learner-profiles.projection';
import { STATUS_LABELS } from '../learner-profiles/populations.figures';

/** A mentor's registration or profile update: the statuses it assessed and found held, as bits. */
interface MentorFact extends KnownFact {
  readonly mentorId: string;
  readonly day: string;
  readonly atMs: number;
  readonly registration: boolean;
  readonly assessed: number;
  readonly held: number;
}

interface Session extends KnownFact {
  readonly learnerId: string;
  readonly mentorId: string;
  readonly day: string;
}

/**
 * KPIS.md version 2 "Mentors": registrations, profile updates and sessions, by event id, each
 * with the position it became known at (and, for a session, a learner event, the position of
 * its retraction). Bitemporal plain JSON: mentors and sessions number in the thousands.
 */
export interface MentorsState {
  readonly mentors: Record<string, MentorFact>;
  readonly sessions: Record<string, Session>;
}

function bits(statuses: readonly Status[] | undefined): number {
  let value = 0;
  for (const status of statuses ?? []) value |= statusBit(status);
  return value;
}

function mentorFact(event: { position: number; occurredAt: string }, mentorId: string, registration: boolean, assessment: StatusAssessment | undefined): MentorFact {
  return {
    position: event.position,
    retractedAt: 0,
    mentorId,
    day: utcDayOf(event.occurredAt),
    atMs: epochMsOf(event.occurredAt),
    registration,
    assessed: bits(assessment?.assessed),
    held: bits(assessment?.held),
  };
}

export const mentorsProjection = defineProjection({
  name: 'mentors',
  version: 1,
  bitemporal: true,
  handles: ['MentorRegistered', 'MentorProfileUpdated', 'MentoringSessionHeld', 'EventRetracted'],
  retraction: { kind: 'in-evolve' },
  ...plainJson<MentorsState>(),
  initialState: (): MentorsState => ({ mentors: {}, sessions: {} }),
  evolve(state, event): MentorsState {
    switch (event.type) {
      case 'MentorRegistered':
        state.mentors[event.eventId] = mentorFact(event, event.data.mentorId, true, event.data.statusAssessment);
        return state;
      case 'MentorProfileUpdated':
        state.mentors[event.eventId] = mentorFact(event, event.data.mentorId, false, event.data.statusAssessment);
        return state;
      case 'MentoringSessionHeld':
        state.sessions[event.eventId] = { position: event.position, retractedAt: 0, learnerId: event.learnerId, mentorId: event.data.mentorId, day: utcDayOf(event.occurredAt) };
        return state;
      case 'EventRetracted':
        // Only a session can be retracted (a learner event); mentors' events cannot.
        markRetracted(state.sessions, event.data.retractedEventId, event.position);
        return state;
    }
  },
});

interface MentorsAnswer {
  readonly registrations: MentorFact[];
  readonly sessions: Session[];
  /** Active mentors: their assessed and held bits (unions before P.end) and the facts that gave them. */
  readonly active: Map<string, { assessed: number; held: number; facts: number[] }>;
  /** The positions of the sessions of the period of each mentored learner who holds a status. */
  readonly disadvantagedLearners: Map<number, number[]>;
}

function answer(state: MentorsState, period: Period, knownAt: number, context: FigureContext): MentorsAnswer {
  const { endMs } = periodBounds(period);
  const registrations = Object.values(state.mentors).filter((m) => m.registration && inPeriod(m.day, period) && existsAt(m, knownAt));
  const sessions = Object.values(state.sessions).filter((s) => inPeriod(s.day, period) && existsAt(s, knownAt));
  const active = new Map<string, { assessed: number; held: number; facts: number[] }>();
  for (const session of sessions) active.set(session.mentorId, { assessed: 0, held: 0, facts: [] });
  for (const fact of Object.values(state.mentors)) {
    const mentor = active.get(fact.mentorId);
    if (!mentor || fact.atMs >= endMs || !existsAt(fact, knownAt)) continue;
    mentor.assessed |= fact.assessed;
    mentor.held |= fact.held;
    mentor.facts.push(fact.position);
  }
  // The learners' side, from the learner activity read model as known at the same K: its sessions
  // and held(L), under one learner index (no join by learner id over millions of learners).
  const activity = context.read(learnerActivityProjection);
  const { held } = statusesOf(activity, endMs, knownAt);
  const disadvantagedLearners = new Map<number, number[]>();
  for (const row of factsIn(activity.sessions, period, knownAt)) {
    const learner = activity.sessions.learner.at(row);
    if ((held[learner] ?? 0) === 0) continue;
    disadvantagedLearners.set(learner, [...(disadvantagedLearners.get(learner) ?? []), activity.sessions.position.at(row)]);
  }
  return { registrations, sessions, active, disadvantagedLearners };
}

/** `mentors.*` and `mentoring.*` of a period as known at K. */
export function mentorsFigures(state: MentorsState, period: Period, knownAt: number, context: FigureContext): Record<string, number | null> {
  const a = answer(state, period, knownAt, context);
  const figures: Record<string, number | null> = { 'mentors.registered': a.registrations.length, 'mentors.active': a.active.size };
  const mentors = [...a.active.values()];
  for (const status of STATUSES) {
    const bit = statusBit(status);
    figures[`mentors.${status}`] = mentors.some((m) => m.assessed & bit) ? mentors.filter((m) => m.held & bit).length : null;
  }
  figures['mentors.disadvantaged'] = mentors.filter((m) => m.held !== 0).length;
  figures['mentoring.sessions'] = a.sessions.length;
  figures['mentoring.disadvantaged-learners'] = a.disadvantagedLearners.size;
  return figures;
}

/** Provenance: registrations, or the sessions of the active mentors and the profile events that give their statuses, or the learners' sessions. */
export function explainMentors(state: MentorsState, period: Period, knownAt: number, figure: string, context: FigureContext): Explanation | undefined {
  const definition = mentorsCatalogue.find((d) => d.id === figure);
  if (!definition) return undefined;
  const a = answer(state, period, knownAt, context);
  const sorted = (positions: number[]) => ({ rule: definition.counts.en, evidence: { kind: 'positions' as const, positions: [...new Set(positions)].sort((x, y) => x - y) } });
  const sessionsOf = (mentors: ReadonlySet<string>) => a.sessions.filter((s) => mentors.has(s.mentorId)).map((s) => s.position);
  if (figure === 'mentors.registered') return sorted(a.registrations.map((r) => r.position));
  if (figure === 'mentoring.sessions') return sorted(a.sessions.map((s) => s.position));
  if (figure === 'mentoring.disadvantaged-learners') return sorted([...a.disadvantagedLearners.values()].flat());
  const status = STATUSES.find((s) => figure === `mentors.${s}`);
  const keep = (m: { held: number }) => (figure === 'mentors.active' ? true : figure === 'mentors.disadvantaged' ? m.held !== 0 : status !== undefined && (m.held & statusBit(status)) !== 0);
  const chosen = new Set([...a.active].filter(([, m]) => keep(m)).map(([id]) => id));
  const profile = figure === 'mentors.active' ? [] : [...a.active].filter(([id]) => chosen.has(id)).flatMap(([, m]) => m.facts);
  return sorted([...sessionsOf(chosen), ...profile]);
}

const mentorFigure = (id: string, en: string, fr: string, counts: { en: string; fr: string }, partOf?: string): FigureDefinition => ({
  id,
  label: { en, fr },
  unit: 'count',
  counts,
  group: GROUPS.mentors,
  ...(partOf ? { partOf } : {}),
});

/** The mentors figures, in KPIS.md's order. */
export const mentorsCatalogue: readonly FigureDefinition[] = [
  mentorFigure('mentors.registered', 'mentors registered', 'mentors inscrits', { en: 'MentorRegistered events in the period', fr: 'événements MentorRegistered de la période' }),
  mentorFigure('mentors.active', 'active mentors', 'mentors actifs', { en: 'distinct mentors with a MentoringSessionHeld in the period', fr: 'mentors distincts ayant un MentoringSessionHeld sur la période' }),
  ...STATUSES.map((status) =>
    mentorFigure(
      `mentors.${status}`,
      STATUS_LABELS[status].en,
      STATUS_LABELS[status].fr,
      {
        en: `active mentors holding ${status} (MentorRegistered and MentorProfileUpdated before the period's end; statuses accumulate); null when no active mentor was assessed for it`,
        fr: `mentors actifs ayant le statut ${status} (MentorRegistered et MentorProfileUpdated avant la fin de la période ; les statuts s'accumulent) ; null si aucun mentor actif n'a été interrogé sur ce statut`,
      },
      'mentors.active',
    ),
  ),
  mentorFigure('mentors.disadvantaged', 'active mentors of the five groups', 'mentors actifs des cinq publics', { en: 'active mentors holding at least one status', fr: 'mentors actifs ayant au moins un statut' }, 'mentors.active'),
  mentorFigure('mentoring.sessions', 'mentoring sessions', 'sessions de mentorat', { en: 'MentoringSessionHeld events in the period', fr: 'événements MentoringSessionHeld de la période' }),
  mentorFigure('mentoring.disadvantaged-learners', 'mentored learners of the five groups', 'apprenants mentorés des cinq publics', {
    en: 'distinct learners with a session in the period who hold at least one status in held(L)',
    fr: 'apprenants distincts ayant une session sur la période et au moins un statut dans held(L)',
  }),
];
