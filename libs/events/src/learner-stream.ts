import type { EventType, LearnerEvent } from './catalog';

/**
 * What the ledger must know of a learner's stream to accept a new event of it: the
 * rules of EVENTS.md that refer to earlier events (a `PathEnded` names an earlier
 * admission; an `EventRetracted` names an earlier, unretracted, non-retraction event of
 * the same learner).
 *
 * The fold mutates the state it owns: a stream is folded once per decision, and copying
 * sets at every event would make a long stream quadratic.
 */
export interface LearnerStreamState {
  readonly admissionIds: Set<string>;
  /** Every event of the stream, by id. */
  readonly eventTypes: Map<string, EventType>;
  /** Ids of events retracted by an `EventRetracted` of the stream. */
  readonly retracted: Set<string>;
}

export interface ReferenceError {
  readonly field: string;
  readonly message: string;
}

export function initialLearnerStream(): LearnerStreamState {
  return { admissionIds: new Set(), eventTypes: new Map(), retracted: new Set() };
}

/** The fields of an event the fold reads: stored records and new events both have them. */
export interface StreamEventFacts {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
}

export function evolveLearnerStream(state: LearnerStreamState, event: StreamEventFacts): LearnerStreamState {
  state.eventTypes.set(event.eventId, event.type as EventType);
  const data = event.data as { admissionId?: string; retractedEventId?: string };
  if (event.type === 'LearnerAdmitted' && data.admissionId !== undefined) state.admissionIds.add(data.admissionId);
  // A later retraction of the admission changes nothing (EVENTS.md): ids are never removed.
  if (event.type === 'EventRetracted' && data.retractedEventId !== undefined) state.retracted.add(data.retractedEventId);
  return state;
}

/** The reference rules for one new event of this learner; an empty list accepts it. */
export function checkReferences(event: LearnerEvent, state: LearnerStreamState): ReferenceError[] {
  switch (event.type) {
    case 'PathEnded':
      return state.admissionIds.has(event.data.admissionId)
        ? []
        : [{ field: 'data.admissionId', message: `names no earlier LearnerAdmitted of learner ${event.learnerId}` }];
    case 'EventRetracted': {
      const target = event.data.retractedEventId;
      const type = state.eventTypes.get(target);
      if (type === undefined)
        return [{ field: 'data.retractedEventId', message: `names no earlier event of learner ${event.learnerId}` }];
      if (type === 'EventRetracted')
        return [{ field: 'data.retractedEventId', message: 'names a retraction: a retraction cannot be retracted' }];
      if (state.retracted.has(target))
        return [{ field: 'data.retractedEventId', message: 'names an event that is already retracted' }];
      return [];
    }
    case 'SignupSurveyAnswered':
    case 'LearnerAdmitted':
    case 'FundingGranted':
    case 'ApprenticeshipContractSigned':
    case 'ProfessionalOutcomeReported':
    case 'CourseStarted':
    case 'CertificateEarned':
    case 'LearnerActive':
    case 'MentoringSessionHeld': // its mentor is checked against the mentor's stream (mentor-stream.ts)
      return [];
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}
