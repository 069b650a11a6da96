import type { LedgerEvent, Theme } from '@ledger/events';
import { THEMES } from '@ledger/events';

/**
 * A deterministic stream of valid events with the mix of a real month of the platform:
 * mostly activity, some courses and certificates, a few surveys, admissions and fundings.
 * For benchmarks and crash tests; not the calibrated demo data set.
 */
export function* syntheticEvents(count: number, seed = 1): Generator<LedgerEvent> {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: fast, deterministic, good enough to spread ids and choices.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const learners = Math.max(1, Math.floor(count / 7));
  const admittedLearners = new Set<number>();
  for (let i = 0; i < count; i += 1) {
    const learner = next() % learners;
    const learnerId = `L${seed}-${learner}`;
    const eventId = uuidFrom(next, i);
    const day = 1 + (i % 28);
    const occurredAt = `2020-03-${String(day).padStart(2, '0')}T${String(8 + (i % 12)).padStart(2, '0')}:15:00+01:00`;
    const roll = next() % 100;
    if (roll < 62) yield { eventId, type: 'LearnerActive', learnerId, occurredAt, data: {} };
    else if (roll < 80) {
      const theme = THEMES[next() % THEMES.length] as Theme;
      yield { eventId, type: 'CourseStarted', learnerId, occurredAt, data: { courseId: `C${next() % 4000}`, theme } };
    } else if (roll < 92) {
      yield { eventId, type: 'CertificateEarned', learnerId, occurredAt, data: { certificateId: `X${i}`, courseId: `C${next() % 4000}` } };
    } else if (roll < 96) {
      yield {
        eventId,
        type: 'SignupSurveyAnswered',
        learnerId,
        occurredAt,
        data: {
          surveyResponseId: `S${i}`,
          country: roll % 2 === 0 ? 'FR' : 'SN',
          motivation: 'career-change',
          gender: 'female',
          statusAssessment: { assessed: ['job-seeker', 'disability'], held: ['job-seeker'] },
        },
      };
    } else if (roll < 98 || admittedLearners.has(learner)) {
      yield { eventId, type: 'FundingGranted', learnerId, occurredAt, data: { fundingId: `F${i}`, funder: 'pse', employerId: `E${next() % 300}` } };
    } else {
      admittedLearners.add(learner);
      yield {
        eventId,
        type: 'LearnerAdmitted',
        learnerId,
        occurredAt,
        data: { admissionId: `A${i}`, pathId: 'P-data', pathLanguage: 'fr', track: 'employment-program' },
      };
    }
  }
}

/** A random-looking (v4 layout) UUID from the generator: clients send such ids, not time-ordered ones. */
function uuidFrom(next: () => number, i: number): string {
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(next());
  const b = hex(next());
  const c = hex(next() ^ i);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(8 + (next() % 4)).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${hex(next())}`;
}

export function toNdjson(events: Iterable<LedgerEvent>): string {
  let out = '';
  for (const event of events) out += `${JSON.stringify(event)}\n`;
  return out;
}
