import type { LedgerEvent } from './catalog';
import type { ReferenceError, StreamEventFacts } from './learner-stream';

/**
 * What the ledger must know of a mentor to accept an event naming them (EVENTS.md v1.1): a
 * mentor is registered once, and their sessions and profile updates come after it (in the
 * log, or on an earlier line of the same file or batch).
 */
export interface MentorStreamState {
  /** The event id of the mentor's `MentorRegistered`, once there is one. */
  registeredBy: string | undefined;
}

export function initialMentorStream(): MentorStreamState {
  return { registeredBy: undefined };
}

export function evolveMentorStream(state: MentorStreamState, event: StreamEventFacts): MentorStreamState {
  if (event.type === 'MentorRegistered' && state.registeredBy === undefined) state.registeredBy = event.eventId;
  return state;
}

/** The mentor a new event names, if it names one: the stream its references are checked against. */
export function mentorIdOf(event: LedgerEvent): string | undefined {
  switch (event.type) {
    case 'MentorRegistered':
    case 'MentorProfileUpdated':
    case 'MentoringSessionHeld':
      return event.data.mentorId;
    default:
      return undefined;
  }
}

/** The mentor rules for one new event; an empty list accepts it. */
export function checkMentorReferences(event: LedgerEvent, state: MentorStreamState): ReferenceError[] {
  switch (event.type) {
    case 'MentorRegistered':
      return state.registeredBy === undefined || state.registeredBy === event.eventId
        ? []
        : [{ field: 'data.mentorId', message: `mentor ${event.data.mentorId} is already registered (event ${state.registeredBy}): a mentor is registered once` }];
    case 'MentorProfileUpdated':
    case 'MentoringSessionHeld':
      return state.registeredBy !== undefined
        ? []
        : [{ field: 'data.mentorId', message: `names no mentor registered earlier: the MentorRegistered of ${event.data.mentorId} must come first (in the log, or on an earlier line)` }];
    default:
      return [];
  }
}
