import fc from 'fast-check';
import { commitmentSet, mentorProfileUpdated, mentorRegistered, sessionHeld } from '@ledger/testing/event-builders';
import {
  AUDIENCES,
  CHANNELS,
  EMPLOYER_FUNDERS,
  EVENT_TYPES,
  FUNDERS,
  GENDERS,
  LEARNER_EVENT_TYPES,
  MOTIVATIONS,
  OUTCOMES,
  STATUSES,
  THEMES,
  TRACKS,
  type ApprenticeshipContractSigned,
  type CertificateEarned,
  type CourseStarted,
  type EventRetracted,
  type FundingGranted,
  type LearnerActive,
  type LearnerAdmitted,
  type LedgerEvent,
  type OutreachCampaignSent,
  type PathEnded,
  type ProfessionalOutcomeReported,
  type SignupSurveyAnswered,
} from '../catalog';
import { ASSIGNED_COUNTRY_COUNT } from './country';
import { validateEvent, type FieldError } from './validate-event';

const NOW = new Date('2024-06-01T12:00:00Z');
const ID = '3f2b8c1e-9a4d-4c6b-8e7f-0a1b2c3d4e5f';
const OTHER_ID = '00000000-0000-4000-8000-000000000001';
const at = { eventId: ID, learnerId: 'L-42', occurredAt: '2024-05-31T09:30:00+02:00' } as const;

// One valid example per type, optional fields both absent (minimal) and present (full).
const signupMinimal: SignupSurveyAnswered = {
  ...at,
  type: 'SignupSurveyAnswered',
  data: { surveyResponseId: 'S1', country: 'FR', motivation: 'career-change' },
};
const signupFull: SignupSurveyAnswered = {
  ...at,
  type: 'SignupSurveyAnswered',
  data: {
    surveyResponseId: 'S1',
    country: 'FR',
    motivation: 'first-job',
    gender: 'non-binary',
    statusAssessment: { assessed: ['job-seeker', 'refugee', 'disability'], held: ['refugee'] },
  },
};
const admittedMinimal: LearnerAdmitted = {
  ...at,
  type: 'LearnerAdmitted',
  data: { admissionId: 'A1', pathId: 'P-web', pathLanguage: 'fr', track: 'paid-path' },
};
const admittedFull: LearnerAdmitted = {
  ...at,
  type: 'LearnerAdmitted',
  data: {
    admissionId: 'A1',
    pathId: 'P-web',
    pathLanguage: 'en',
    track: 'apprenticeship',
    country: 'DE',
    statusAssessment: { assessed: [], held: [] },
  },
};
const fundingSelf: FundingGranted = { ...at, type: 'FundingGranted', data: { fundingId: 'F1', funder: 'self' } };
const fundingPse: FundingGranted = {
  ...at,
  type: 'FundingGranted',
  data: {
    fundingId: 'F1',
    funder: 'pse',
    employerId: 'E1',
    statusAssessment: { assessed: ['low-qualified', 'qpv-resident'], held: ['qpv-resident', 'low-qualified'] },
  },
};
const contract: ApprenticeshipContractSigned = {
  ...at,
  type: 'ApprenticeshipContractSigned',
  data: { contractId: 'K1', employerId: 'E1' },
};
const outcome: ProfessionalOutcomeReported = {
  ...at,
  type: 'ProfessionalOutcomeReported',
  data: { outcome: 'new-job', evidence: { kind: 'survey-response', reference: 'R1' } },
};
const pathEnded: PathEnded = { ...at, type: 'PathEnded', data: { admissionId: 'A1', reason: 'withdrew' } };
const courseStarted: CourseStarted = { ...at, type: 'CourseStarted', data: { courseId: 'C1', theme: 'data' } };
const certificate: CertificateEarned = { ...at, type: 'CertificateEarned', data: { certificateId: 'Z1', courseId: 'C1' } };
const active: LearnerActive = { ...at, type: 'LearnerActive', data: {} };
const retracted: EventRetracted = {
  ...at,
  type: 'EventRetracted',
  data: { retractedEventId: OTHER_ID, reason: 'entered twice' },
};
const campaign: OutreachCampaignSent = {
  eventId: ID,
  type: 'OutreachCampaignSent',
  occurredAt: '2024-05-01T08:00:00Z',
  data: { campaignId: 'K1', audience: 'all', channel: 'partner', recipients: 0 },
};

/** Minimal valid examples: every data key of these is required. */
const minimal: readonly LedgerEvent[] = [
  signupMinimal,
  admittedMinimal,
  fundingSelf,
  contract,
  outcome,
  pathEnded,
  courseStarted,
  certificate,
  active,
  retracted,
  campaign,
];

const DELETE = Symbol('delete');

/** A deep copy of `event` with the dotted paths set (or deleted, with DELETE). */
function edit(event: LedgerEvent, changes: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let target = copy;
    for (const key of keys) target = target[key] as Record<string, unknown>;
    if (value === DELETE) delete target[last];
    else target[last] = value;
  }
  return copy;
}

function errorsOf(raw: unknown, now = NOW): readonly FieldError[] {
  const result = validateEvent(raw, now);
  return result.ok ? [] : result.errors;
}

function expectAccepted(event: unknown): void {
  const before = JSON.stringify(event);
  const result = validateEvent(event, NOW);
  expect(result).toEqual({ ok: true, event });
  if (!result.ok) return;
  expect(result.event).toBe(event); // the input itself: a plain object, not a DTO instance
  expect(Object.getPrototypeOf(result.event)).toBe(Object.prototype);
  expect(JSON.stringify(event)).toBe(before); // and unchanged
}

describe('validateEvent: valid events', () => {
  const examples: [string, LedgerEvent][] = [
    ['SignupSurveyAnswered, optional fields absent', signupMinimal],
    ['SignupSurveyAnswered, gender and statusAssessment present', signupFull],
    ['LearnerAdmitted, optional fields absent', admittedMinimal],
    ['LearnerAdmitted, country and (empty) statusAssessment present', admittedFull],
    ['FundingGranted by self, no employerId, no statusAssessment', fundingSelf],
    ['FundingGranted by pse, employerId and statusAssessment present', fundingPse],
    ['ApprenticeshipContractSigned', contract],
    ['ProfessionalOutcomeReported', outcome],
    ['PathEnded', pathEnded],
    ['CourseStarted', courseStarted],
    ['CertificateEarned', certificate],
    ['LearnerActive', active],
    ['EventRetracted', retracted],
    ['OutreachCampaignSent (no learnerId, 0 recipients)', campaign],
    // v1.1 (EVENTS.md "Version 1.1 additions"); their rules: catalog-v1-1.spec.ts.
    ['MentorRegistered, statusAssessment absent', mentorRegistered(20, 'm-1')],
    ['MentorProfileUpdated', mentorProfileUpdated(21, 'm-1', { assessed: ['refugee'], held: ['refugee'] })],
    ['MentoringSessionHeld', sessionHeld(22, 'a', 'm-1')],
    ['CommitmentSet', commitmentSet(23, 'c-2020', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 })],
  ];

  it('has an example of every type', () => {
    expect(new Set(examples.map(([, e]) => e.type))).toEqual(new Set(EVENT_TYPES));
  });

  it.each(examples)('accepts %s', (_name, event) => expectAccepted(event));

  it('accepts a line as parsed from NDJSON', () => {
    expectAccepted(JSON.parse(JSON.stringify(signupFull)));
  });

  it.each(FUNDERS)('accepts funder %s with employerId exactly when it names an employer', (funder) => {
    const data = EMPLOYER_FUNDERS.includes(funder) ? { fundingId: 'F1', funder, employerId: 'E9' } : { fundingId: 'F1', funder };
    expectAccepted({ ...fundingSelf, data });
  });

  it('accepts every value of every enum', () => {
    for (const motivation of MOTIVATIONS) expectAccepted(edit(signupMinimal, { 'data.motivation': motivation }));
    for (const gender of GENDERS) expectAccepted(edit(signupMinimal, { 'data.gender': gender }));
    for (const track of TRACKS) expectAccepted(edit(admittedMinimal, { 'data.track': track }));
    for (const o of OUTCOMES) expectAccepted(edit(outcome, { 'data.outcome': o }));
    expectAccepted(edit(outcome, { 'data.evidence.kind': 'signed-contract' }));
    expectAccepted(edit(pathEnded, { 'data.reason': 'graduated' }));
    for (const theme of THEMES) expectAccepted(edit(courseStarted, { 'data.theme': theme }));
    for (const audience of AUDIENCES) expectAccepted(edit(campaign, { 'data.audience': audience }));
    for (const channel of CHANNELS) expectAccepted(edit(campaign, { 'data.channel': channel }));
    expectAccepted(edit(admittedMinimal, { 'data.pathLanguage': 'en' }));
  });

  it('accepts held equal to assessed, in any order, and all five statuses', () => {
    expectAccepted(edit(signupFull, { 'data.statusAssessment': { assessed: [...STATUSES], held: [...STATUSES].reverse() } }));
  });

  it.each([
    ['4 minutes in the future', '2024-06-01T12:04:00Z'],
    ['exactly 5 minutes in the future', '2024-06-01T12:05:00.000000000Z'],
    ['4 minutes ahead, written with an offset', '2024-06-01T14:04:00+02:00'],
    ['far in the past (late data)', '1999-12-31T23:59:59.5-05:00'],
    ['lower-case t and z, nanoseconds', '2024-01-01t10:00:00.123456789z'],
  ])('accepts occurredAt %s', (_name, occurredAt) => expectAccepted({ ...active, occurredAt }));

  it('accepts a learnerId of 64 chars of [A-Za-z0-9._-]', () => {
    expectAccepted({ ...active, learnerId: 'aZ09._-'.repeat(9) + 'x' });
  });

  it('accepts a reason of 500 characters, counted as code points', () => {
    expectAccepted(edit(retracted, { 'data.reason': 'r'.repeat(500) }));
    expectAccepted(edit(retracted, { 'data.reason': '😀'.repeat(500) })); // 1000 UTF-16 units
  });

  it('accepts a large integer recipients count', () => {
    expectAccepted(edit(campaign, { 'data.recipients': 2 ** 40 }));
  });

  it('keeps the 249 assigned country codes', () => {
    expect(ASSIGNED_COUNTRY_COUNT).toBe(249);
    for (const country of ['GB', 'GF', 'RE', 'CI', 'SS', 'AX']) expectAccepted(edit(signupMinimal, { 'data.country': country }));
  });

  it('accepts any statusAssessment whose held is a duplicate-free subset of assessed', () => {
    const assessment = fc
      .uniqueArray(fc.constantFrom(...STATUSES))
      .chain((assessed) => fc.record({ assessed: fc.shuffledSubarray(assessed), held: fc.shuffledSubarray(assessed) }))
      .map(({ assessed, held }) => ({ assessed, held: held.filter((s) => assessed.includes(s)) }));
    fc.assert(
      fc.property(assessment, (statusAssessment) => validateEvent({ ...fundingPse, data: { ...fundingPse.data, statusAssessment } }, NOW).ok),
    );
  });
});

type BadCase = [name: string, input: unknown, fields: readonly string[], message?: string | RegExp];

function expectRefused([, input, fields, message]: BadCase): void {
  const errors = errorsOf(input);
  expect(errors.map((e) => e.field)).toEqual(fields);
  if (typeof message === 'string') expect(errors[0]?.message).toBe(message);
  if (message instanceof RegExp) expect(errors[0]?.message).toMatch(message);
}

const TYPES_LIST = EVENT_TYPES.join(', ');

describe('validateEvent: bad input (EVENTS.md)', () => {
  const envelope: BadCase[] = [
    ['an unknown type', { ...active, type: 'LearnerLoggedIn', data: { favouriteColour: 'red' } }, ['type'], `must be one of: ${TYPES_LIST}`],
    ['a type in the wrong case', { ...active, type: 'learnerActive' }, ['type'], /^must be one of: SignupSurveyAnswered, /],
    ['the ledger\'s own ReportPublished, which no client may send', { ...campaign, type: 'ReportPublished' }, ['type'], `must be one of: ${TYPES_LIST}`],
    ['a type that is not a string', { ...active, type: 7 }, ['type']],
    ['type missing', edit(active, { type: DELETE }), ['type'], 'is required'],
    ['an unknown type: envelope errors still reported, data ones not', { ...campaign, eventId: 'x', type: 'Nope' }, ['eventId', 'type']],
    ['eventId missing', edit(active, { eventId: DELETE }), ['eventId'], 'is required'],
    ['eventId not a UUID', { ...active, eventId: 'event-1' }, ['eventId'], 'must be a UUID (lower-case hex, 8-4-4-4-12)'],
    ['eventId a UUID without dashes', { ...active, eventId: ID.replace(/-/g, '') }, ['eventId']],
    ['eventId a UUID in upper case', { ...active, eventId: ID.toUpperCase() }, ['eventId']],
    ['eventId a UUID in braces', { ...active, eventId: `{${ID}}` }, ['eventId']],
    ['eventId a number', { ...active, eventId: 12 }, ['eventId']],
    ['learnerId on OutreachCampaignSent', { ...campaign, learnerId: 'L1' }, ['learnerId'], 'is not allowed for OutreachCampaignSent (not a learner event)'],
    ['learnerId null on OutreachCampaignSent', { ...campaign, learnerId: null }, ['learnerId']],
    ['learnerId with a space', { ...active, learnerId: 'L 1' }, ['learnerId'], 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"'],
    ['learnerId with an @ (an e-mail)', { ...active, learnerId: 'ana@example.org' }, ['learnerId']],
    ['learnerId with an accented letter', { ...active, learnerId: 'Léa' }, ['learnerId']],
    ['learnerId of 65 chars', { ...active, learnerId: 'x'.repeat(65) }, ['learnerId'], 'must be at most 64 characters'],
    ['learnerId empty', { ...active, learnerId: '' }, ['learnerId'], 'must not be empty'],
    ['learnerId a number', { ...active, learnerId: 42 }, ['learnerId'], 'must be a string, not a number'],
    ['occurredAt missing', edit(active, { occurredAt: DELETE }), ['occurredAt'], 'is required'],
    ['occurredAt without offset', { ...active, occurredAt: '2024-05-31T09:30:00' }, ['occurredAt'], /^must be an RFC 3339 timestamp with an offset/],
    ['occurredAt with a space', { ...active, occurredAt: '2024-05-31 09:30:00Z' }, ['occurredAt']],
    ['occurredAt date-only', { ...active, occurredAt: '2024-05-31' }, ['occurredAt']],
    ['occurredAt an invalid date (2021-02-29)', { ...active, occurredAt: '2021-02-29T10:00:00Z' }, ['occurredAt']],
    ['occurredAt with an offset without colon', { ...active, occurredAt: '2024-05-31T09:30:00+0200' }, ['occurredAt']],
    ['occurredAt as epoch milliseconds', { ...active, occurredAt: 1717236000000 }, ['occurredAt']],
    ['occurredAt 6 minutes in the future', { ...active, occurredAt: '2024-06-01T12:06:00Z' }, ['occurredAt'], 'is more than 5 minutes in the future'],
    ['occurredAt 5 minutes and 1 ns in the future', { ...active, occurredAt: '2024-06-01T12:05:00.000000001Z' }, ['occurredAt'], 'is more than 5 minutes in the future'],
    ['occurredAt 6 minutes ahead, written with an offset', { ...active, occurredAt: '2024-06-01T07:06:00-05:00' }, ['occurredAt'], 'is more than 5 minutes in the future'],
    ['occurredAt before year 0000 in UTC', { ...active, occurredAt: '0000-01-01T00:30:00+01:00' }, ['occurredAt'], 'must fall within the years 0000-9999 in UTC'],
    ['data missing', edit(active, { data: DELETE }), ['data'], 'is required'],
    ['data null', { ...active, data: null }, ['data'], 'must be an object, not null'],
    ['data an array', { ...courseStarted, data: [courseStarted.data] }, ['data'], 'must be an object, not an array'],
    ['data a string', { ...courseStarted, data: '{}' }, ['data'], 'must be an object, not a string'],
    ['an extra field at top level', { ...active, source: 'crm' }, ['source'], 'is not allowed (unknown field)'],
    ['a ledger-assigned field sent in', { ...active, position: 1 }, ['position'], 'is not allowed (unknown field)'],
    ['an e-mail at top level', { ...active, email: 'ana@example.org' }, ['email'], 'is not allowed (unknown field)'],
    ['a __proto__ key', JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(active).slice(1)}`), ['__proto__'], 'is not allowed (unknown field)'],
  ];
  it.each(envelope)('refuses %s', (...row) => expectRefused(row));

  it.each(LEARNER_EVENT_TYPES.map((type) => minimal.find((e) => e.type === type)).filter((e) => e !== undefined))(
    'refuses $type without learnerId',
    (event) => {
      expectRefused(['', edit(event, { learnerId: DELETE }), ['learnerId'], `is required for ${event.type} (a learner event)`]);
    },
  );

  it.each(minimal.flatMap((event) => Object.keys(event.data).map((key): [string, string, LedgerEvent] => [event.type, key, event])))(
    'refuses %s without data.%s',
    (_type, key, event) => expectRefused(['', edit(event, { [`data.${key}`]: DELETE }), [`data.${key}`], 'is required']),
  );

  it.each(minimal.map((event): [string, LedgerEvent] => [event.type, event]))('refuses an extra field in the data of %s', (_type, event) => {
    expectRefused(['', edit(event, { 'data.favouriteColour': 'teal' }), ['data.favouriteColour'], 'is not allowed (unknown field)']);
  });

  // No field may carry ethnic origin, a name or contact details: the whitelist has none to offer.
  it.each(['email', 'firstName', 'lastName', 'name', 'phone', 'address', 'ethnicity', 'birthDate', 'nationality'])(
    'refuses data.%s as an unknown field',
    (key) => expectRefused(['', edit(signupFull, { [`data.${key}`]: 'x' }), [`data.${key}`], 'is not allowed (unknown field)']),
  );

  const data: BadCase[] = [
    ['an extra field in statusAssessment', edit(signupFull, { 'data.statusAssessment.ethnicity': 'x' }), ['data.statusAssessment.ethnicity'], 'is not allowed (unknown field)'],
    ['an extra field in evidence', edit(outcome, { 'data.evidence.name': 'Ana' }), ['data.evidence.name'], 'is not allowed (unknown field)'],
    ['a constructor key in data', JSON.parse(JSON.stringify(courseStarted).replace('"data":{', '"data":{"constructor":1,')), ['data.constructor'], 'is not allowed (unknown field)'],
    ['an unknown field in LearnerActive data', edit(active, { 'data.courseId': 'C1' }), ['data.courseId'], 'is not allowed (unknown field)'],
    ['a wrong motivation', edit(signupMinimal, { 'data.motivation': 'money' }), ['data.motivation'], `must be one of: ${MOTIVATIONS.join(', ')}`],
    ['a wrong gender', edit(signupFull, { 'data.gender': 'f' }), ['data.gender'], `must be one of: ${GENDERS.join(', ')}`],
    ['a null gender (null is not absent)', edit(signupFull, { 'data.gender': null }), ['data.gender']],
    ['a wrong pathLanguage', edit(admittedMinimal, { 'data.pathLanguage': 'de' }), ['data.pathLanguage'], 'must be one of: fr, en'],
    ['a wrong track', edit(admittedMinimal, { 'data.track': 'free-path' }), ['data.track']],
    ['a wrong funder', edit(fundingSelf, { 'data.funder': 'Self' }), ['data.funder'], `must be one of: ${FUNDERS.join(', ')}`],
    ['a wrong outcome', edit(outcome, { 'data.outcome': 'new job' }), ['data.outcome']],
    ['a wrong evidence kind', edit(outcome, { 'data.evidence.kind': 'phone-call' }), ['data.evidence.kind'], 'must be one of: survey-response, signed-contract'],
    ['a wrong PathEnded reason', edit(pathEnded, { 'data.reason': 'expelled' }), ['data.reason'], 'must be one of: graduated, withdrew'],
    ['a wrong theme', edit(courseStarted, { 'data.theme': 'Data' }), ['data.theme'], `must be one of: ${THEMES.join(', ')}`],
    ['a wrong audience', edit(campaign, { 'data.audience': 'everyone' }), ['data.audience'], `must be one of: ${AUDIENCES.join(', ')}`],
    ['a wrong channel', edit(campaign, { 'data.channel': 'sms' }), ['data.channel'], 'must be one of: email, ads, partner'],
    ['a wrong status in assessed', edit(signupFull, { 'data.statusAssessment.assessed': ['refugee', 'unemployed'], 'data.statusAssessment.held': [] }), ['data.statusAssessment.assessed[1]'], `must be one of: ${STATUSES.join(', ')}`],
    ['a wrong status in held', edit(signupFull, { 'data.statusAssessment.held': ['Refugee'] }), ['data.statusAssessment.held[0]']],
    ['held not within assessed', edit(signupFull, { 'data.statusAssessment': { assessed: ['job-seeker'], held: ['refugee'] } }), ['data.statusAssessment.held'], 'must be a subset of data.statusAssessment.assessed (refugee is held but not assessed)'],
    ['held not within assessed, two statuses', edit(fundingPse, { 'data.statusAssessment': { assessed: [], held: ['refugee', 'disability'] } }), ['data.statusAssessment.held'], 'must be a subset of data.statusAssessment.assessed (refugee, disability are held but not assessed)'],
    ['a duplicate in held', edit(signupFull, { 'data.statusAssessment.held': ['refugee', 'refugee'] }), ['data.statusAssessment.held[1]'], 'repeats refugee (already at index 0; no duplicates)'],
    ['a duplicate in assessed', edit(signupFull, { 'data.statusAssessment.assessed': ['refugee', 'job-seeker', 'refugee'] }), ['data.statusAssessment.assessed[2]'], /^repeats refugee/],
    ['assessed missing', edit(signupFull, { 'data.statusAssessment.assessed': DELETE }), ['data.statusAssessment.assessed'], 'is required'],
    ['held missing', edit(admittedFull, { 'data.statusAssessment.held': DELETE }), ['data.statusAssessment.held'], 'is required'],
    ['assessed not an array', edit(signupFull, { 'data.statusAssessment.assessed': 'refugee' }), ['data.statusAssessment.assessed'], 'must be an array of statuses'],
    ['statusAssessment null', edit(signupFull, { 'data.statusAssessment': null }), ['data.statusAssessment'], 'must be an object, not null'],
    ['statusAssessment an array', edit(signupFull, { 'data.statusAssessment': [['refugee'], ['refugee']] }), ['data.statusAssessment'], 'must be an object, not an array'],
    ...EMPLOYER_FUNDERS.map((funder): BadCase => [`employerId missing for funder ${funder}`, edit(fundingSelf, { 'data.funder': funder }), ['data.employerId'], `is required when funder is ${funder}`]),
    ...FUNDERS.filter((f) => !EMPLOYER_FUNDERS.includes(f)).map((funder): BadCase => [`employerId present for funder ${funder}`, edit(fundingPse, { 'data.funder': funder }), ['data.employerId'], `is not allowed when funder is ${funder}`]),
    ['employerId empty for an employer funder', edit(fundingPse, { 'data.employerId': '' }), ['data.employerId'], 'must not be empty'],
    ['employerId a number', edit(contract, { 'data.employerId': 12 }), ['data.employerId'], 'must be a string, not a number'],
    ['evidence null', edit(outcome, { 'data.evidence': null }), ['data.evidence'], 'must be an object, not null'],
    ['evidence a string', edit(outcome, { 'data.evidence': 'survey' }), ['data.evidence'], 'must be an object, not a string'],
    ['evidence.reference missing', edit(outcome, { 'data.evidence.reference': DELETE }), ['data.evidence.reference'], 'is required'],
    ['evidence.reference empty', edit(outcome, { 'data.evidence.reference': '' }), ['data.evidence.reference'], 'must not be empty'],
    ['an empty id', edit(signupMinimal, { 'data.surveyResponseId': '' }), ['data.surveyResponseId'], 'must not be empty'],
    ['a numeric id (no coercion)', edit(courseStarted, { 'data.courseId': 42 }), ['data.courseId'], 'must be a string, not a number'],
    ['a null id', edit(pathEnded, { 'data.admissionId': null }), ['data.admissionId'], 'must be a string, not null'],
    ['an id that is an object', edit(certificate, { 'data.certificateId': { id: 'Z1' } }), ['data.certificateId']],
    ['country in lower case (fr)', edit(signupMinimal, { 'data.country': 'fr' }), ['data.country'], 'must be an ISO 3166-1 alpha-2 code in upper case'],
    ['country alpha-3 (FRA)', edit(signupMinimal, { 'data.country': 'FRA' }), ['data.country'], /^must be an assigned ISO 3166-1 alpha-2/],
    ['country unassigned (XX)', edit(signupMinimal, { 'data.country': 'XX' }), ['data.country'], /^must be an assigned ISO 3166-1 alpha-2/],
    ['country user-assigned (XK)', edit(signupMinimal, { 'data.country': 'XK' }), ['data.country']],
    ['country a common mistake (UK)', edit(admittedFull, { 'data.country': 'UK' }), ['data.country']],
    ['country a number', edit(admittedFull, { 'data.country': 250 }), ['data.country']],
    ['recipients negative', edit(campaign, { 'data.recipients': -1 }), ['data.recipients'], 'must be an integer >= 0'],
    ['recipients 1.5', edit(campaign, { 'data.recipients': 1.5 }), ['data.recipients'], 'must be an integer >= 0'],
    ['recipients a numeric string (no coercion)', edit(campaign, { 'data.recipients': '12' }), ['data.recipients']],
    ['recipients beyond 2^53', edit(campaign, { 'data.recipients': 2 ** 53 }), ['data.recipients']],
    ['reason empty', edit(retracted, { 'data.reason': '' }), ['data.reason'], 'must not be empty'],
    ['reason of 501 chars', edit(retracted, { 'data.reason': 'r'.repeat(501) }), ['data.reason'], 'must be at most 500 characters (Unicode code points)'],
    ['reason not a string', edit(retracted, { 'data.reason': ['x'] }), ['data.reason'], 'must be a string, not an array'],
    ['retractedEventId not a UUID', edit(retracted, { 'data.retractedEventId': 'last one' }), ['data.retractedEventId'], 'must be a UUID (lower-case hex, 8-4-4-4-12)'],
  ];
  it.each(data)('refuses %s', (...row) => expectRefused(row));

  it.each([
    ['null', null],
    ['an array', [active]],
    ['a string', JSON.stringify(active)],
    ['a number', 1],
    ['undefined', undefined],
    ['a non-plain object', new Date(0)],
  ])('refuses %s as the event, naming the event itself', (kind, raw) => {
    expect(errorsOf(raw)).toEqual([{ field: '', message: `the event must be a JSON object, not ${kind}` }]);
  });

  it('reports every problem of an event, each on its field', () => {
    const raw = {
      eventId: 'nope',
      type: 'FundingGranted',
      occurredAt: '2024-06-01',
      data: { fundingId: 3, funder: 'employer', statusAssessment: { assessed: ['refugee'], held: ['disability'] }, email: 'x' },
      extra: true,
    };
    expect(errorsOf(raw)).toEqual([
      { field: 'extra', message: 'is not allowed (unknown field)' },
      { field: 'eventId', message: 'must be a UUID (lower-case hex, 8-4-4-4-12)' },
      { field: 'learnerId', message: 'is required for FundingGranted (a learner event)' },
      { field: 'occurredAt', message: 'must be an RFC 3339 timestamp with an offset (e.g. 2024-03-01T09:30:00+01:00)' },
      { field: 'data.email', message: 'is not allowed (unknown field)' },
      { field: 'data.fundingId', message: 'must be a string, not a number' },
      { field: 'data.employerId', message: 'is required when funder is employer' },
      {
        field: 'data.statusAssessment.held',
        message: 'must be a subset of data.statusAssessment.assessed (disability is held but not assessed)',
      },
    ]);
  });

  it('judges the future against the given now, never the clock', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    expect(errorsOf(active, past)).toEqual([{ field: 'occurredAt', message: 'is more than 5 minutes in the future' }]);
    expect(() => validateEvent(active, new Date(Number.NaN))).toThrow(RangeError);
  });

  it('refuses any held status that was not assessed', () => {
    const notAssessed = fc
      .uniqueArray(fc.constantFrom(...STATUSES), { minLength: 1 })
      .chain((held) => fc.record({ held: fc.constant(held), dropped: fc.constantFrom(...held) }));
    fc.assert(
      fc.property(notAssessed, ({ held, dropped }) => {
        const statusAssessment = { assessed: STATUSES.filter((s) => s !== dropped), held };
        const errors = errorsOf({ ...signupFull, data: { ...signupFull.data, statusAssessment } });
        return errors.length === 1 && errors[0]?.field === 'data.statusAssessment.held';
      }),
    );
  });
});

describe('text that cannot be hashed', () => {
  it('refuses a lone surrogate in a value or a member name, naming where it is', () => {
    const inValue = validateEvent({ ...signupMinimal, data: { ...signupMinimal.data, surveyResponseId: 'S\ud800' } }, NOW);
    expect(inValue).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'data.surveyResponseId' })] });
    const paired = validateEvent({ ...signupMinimal, data: { ...signupMinimal.data, surveyResponseId: 'S\ud83d\ude00' } }, NOW);
    expect(paired.ok).toBe(true);
  });
});

describe('text limits (EVENTS.md "Text limits (all versions)")', () => {
  const ASTRAL = '\u{1F4A1}'; // one code point, two UTF-16 units, four UTF-8 bytes
  /** Every `data` field EVENTS.md calls "string" (ids, references), in an event that holds it. */
  const ID_FIELDS: [path: string, event: LedgerEvent][] = [
    ['data.surveyResponseId', signupMinimal],
    ['data.admissionId', admittedMinimal],
    ['data.pathId', admittedMinimal],
    ['data.fundingId', fundingSelf],
    ['data.employerId', fundingPse],
    ['data.contractId', contract],
    ['data.employerId', contract],
    ['data.evidence.reference', outcome],
    ['data.admissionId', pathEnded],
    ['data.courseId', courseStarted],
    ['data.certificateId', certificate],
    ['data.courseId', certificate],
    ['data.campaignId', campaign],
  ];
  const rows = ID_FIELDS.map(([path, event]): [string, string, LedgerEvent] => [`${event.type} ${path}`, path, event]);
  const set = (event: LedgerEvent, path: string, value: unknown) => edit(event, { [path]: value });

  it.each(rows)('%s: accepts 1 and 128 characters, 128 astral ones (256 UTF-16 units) too', (_name, path, event) => {
    expectAccepted(set(event, path, 'x'));
    expectAccepted(set(event, path, 'x'.repeat(128)));
    expectAccepted(set(event, path, ASTRAL.repeat(128)));
    expectAccepted(set(event, path, `é-${ASTRAL}-中文 ${'y'.repeat(120)}`)); // a space and any letters are fine
  });

  it.each(rows)('%s: refuses 129 characters, astral or not, naming the field', (_name, path, event) => {
    const tooLong = 'must be at most 128 characters (Unicode code points)';
    expectRefused(['', set(event, path, 'x'.repeat(129)), [path], tooLong]);
    expectRefused(['', set(event, path, ASTRAL.repeat(129)), [path], tooLong]);
    expectRefused(['', set(event, path, ASTRAL.repeat(64) + 'x'.repeat(65)), [path], tooLong]);
    expectRefused(['', set(event, path, 'x'.repeat(7_900_000)), [path], tooLong]);
  });

  it.each(rows)('%s: refuses NUL, any C0 control character and DEL, naming the field and where', (_name, path, event) => {
    expectRefused(['', set(event, path, 'A\u0000'), [path], 'may not hold a control character (U+0000-U+001F, U+007F): U+0000 at character 2']);
    expectRefused(['', set(event, path, '\u0000'), [path], /U\+0000 at character 1$/]);
    expectRefused(['', set(event, path, `${ASTRAL}${ASTRAL}\u001f`), [path], /U\+001F at character 3$/]);
    for (const control of ['\t', '\n', '\r', '\u000b', '\u001b', '\u007f']) expectRefused(['', set(event, path, `a${control}b`), [path]]);
    expectRefused(['', set(event, path, ''), [path], 'must not be empty']);
    expectRefused(['', set(event, path, 42), [path], 'must be a string, not a number']);
  });

  it('refuses 501 characters and a NUL in every string of every example, whatever the field', () => {
    // Any string field, enums and codes included: none is unbounded (500 is the longest limit), none takes a NUL.
    const stringPaths = (value: unknown, path: string): string[] =>
      typeof value === 'string'
        ? [path]
        : typeof value === 'object' && value !== null && !Array.isArray(value)
          ? Object.entries(value).flatMap(([key, member]) => stringPaths(member, path === '' ? key : `${path}.${key}`))
          : [];
    const all = [...minimal, signupFull, admittedFull, fundingPse];
    let checked = 0;
    for (const event of all) {
      for (const path of stringPaths(event, '')) {
        for (const bad of ['x'.repeat(501), 'x\u0000']) {
          const errors = errorsOf(set(event, path, bad));
          // A bad `type` says only that (its data has no shape to hold to).
          expect(errors.map((e) => e.field)).toEqual([path]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('counts a lone surrogate as one character (and refuses it later as unhashable)', () => {
    expectRefused(['', set(campaign, 'data.campaignId', '\ud800'.repeat(129)), ['data.campaignId'], /^must be at most 128/]);
    expectRefused(['', set(campaign, 'data.campaignId', '\udc00'.repeat(128)), ['data.campaignId'], 'holds a lone UTF-16 surrogate, which has no UTF-8 form']);
  });

  describe('EventRetracted.reason: 1-500 characters, tab, line feed and carriage return allowed', () => {
    const reason = (value: unknown) => set(retracted, 'data.reason', value);
    it('accepts 500 characters, astral ones, and tab, LF, CR', () => {
      expectAccepted(reason(ASTRAL.repeat(500)));
      expectAccepted(reason('line one\r\nline two\tand a tab; 中文, العربية, ✓'));
      expectAccepted(reason('\n'));
    });
    it('refuses 501 characters, astral or not', () => {
      expectRefused(['', reason('r'.repeat(501)), ['data.reason'], 'must be at most 500 characters (Unicode code points)']);
      expectRefused(['', reason(ASTRAL.repeat(501)), ['data.reason'], 'must be at most 500 characters (Unicode code points)']);
    });
    it.each([
      ['NUL', '\u0000', 'U+0000'],
      ['U+0008 (backspace)', '\u0008', 'U+0008'],
      ['U+000B (vertical tab)', '\u000b', 'U+000B'],
      ['U+000C (form feed)', '\u000c', 'U+000C'],
      ['U+000E', '\u000e', 'U+000E'],
      ['U+001F', '\u001f', 'U+001F'],
      ['U+007F (DEL)', '\u007f', 'U+007F'],
    ])('refuses %s, naming the field and where', (_name, control, named) => {
      expectRefused([
        '',
        reason(`${ASTRAL}ok${control}`),
        ['data.reason'],
        `may not hold a control character other than tab, line feed and carriage return (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F): ${named} at character 4`,
      ]);
    });
  });

  describe('learnerId: 1-64 of [A-Za-z0-9._-]', () => {
    it.each([
      ['a NUL', 'L\u0000', 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"'],
      ['a tab', 'L\t1', 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"'],
      ['an astral character', `L${ASTRAL}`, 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"'],
      ['7.9 MB', 'x'.repeat(7_900_000), 'must be at most 64 characters'],
    ])('refuses %s', (_name, learnerId, message) => {
      expectRefused(['', { ...active, learnerId }, ['learnerId'], message]);
    });
  });
});
