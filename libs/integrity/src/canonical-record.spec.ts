import fc from 'fast-check';
import { canonicalRecord, type LogRecord } from '@ledger/store';
import { canonicalJson } from './canonical-json';

/**
 * `canonicalRecord` builds the bytes every leaf hash commits to by string concatenation, for
 * speed. It must equal RFC 8785 `canonicalJson` of the same record with `data` parsed; a null
 * learnerId is an absent member (as in RecordedEvent), not `"learnerId":null`.
 */
type UnsealedRecord = Omit<LogRecord, 'hash' | 'chain'>;

function viaCanonicalJson(record: UnsealedRecord): string {
  const { learnerId, data, ...rest } = record;
  return canonicalJson({ ...rest, data: JSON.parse(data) as unknown, ...(learnerId === null ? {} : { learnerId }) });
}

const example: UnsealedRecord = {
  position: 42,
  eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  streamId: 'learner-L-17',
  streamRevision: 3,
  type: 'LearnerAdmitted',
  learnerId: 'L-17',
  occurredAt: '2025-03-01T09:30:00+01:00',
  recordedAt: '2025-03-01T08:30:00.123Z',
  data: canonicalJson({ cohort: 'Ω-2025', note: 'says "hi" \\ 😀', score: 0.1 }),
};

// Strings meant to trip hand-written JSON: quotes, backslashes, controls, line separators,
// non-BMP characters, and texts that look like JSON themselves.
const awkward = fc.constantFrom('', '"', '\\', '\\"', '"},"x":"', '\u0000\u001f\u007f', '\u2028\u2029', 'é\u0301', '😀', '</script>', 'null');
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', 'a', '\n', '\t', '\u00e9', '\u{1f600}', '\ufb33') }),
  awkward,
);
const instant = fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), text);
const records: fc.Arbitrary<UnsealedRecord> = fc.record({
  position: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  eventId: fc.oneof(fc.uuid(), text),
  streamId: text,
  streamRevision: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  type: text,
  learnerId: fc.option(text, { nil: null }),
  occurredAt: instant,
  recordedAt: instant,
  data: fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' })).map(canonicalJson),
});

describe('canonicalRecord (libs/store/src/log-record.ts)', () => {
  it('equals canonicalJson of the record, with a learner', () => {
    expect(canonicalRecord(example)).toBe(viaCanonicalJson(example));
  });

  it('equals canonicalJson of the record without a learner, leaving the member out', () => {
    const campaign: UnsealedRecord = { ...example, streamId: 'campaign-C-1', type: 'OutreachCampaignSent', learnerId: null };
    expect(canonicalRecord(campaign)).toBe(viaCanonicalJson(campaign));
    expect(canonicalRecord(campaign)).not.toContain('learnerId');
    expect(canonicalRecord(campaign)).not.toBe(canonicalJson({ ...campaign, data: JSON.parse(campaign.data) as unknown }));
  });

  it('equals canonicalJson for generated records, unicode and quotes included', () => {
    fc.assert(
      fc.property(records, (record) => {
        const canonical = canonicalRecord(record);
        expect(canonical).toBe(viaCanonicalJson(record));
        expect(() => JSON.parse(canonical)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('commits to `data` exactly as stored, so storage must keep that text byte for byte', () => {
    // Not a canonical form of the same data: the record differs, and so would its hash.
    const reformatted = { ...example, data: JSON.stringify(JSON.parse(example.data), null, 1) };
    expect(canonicalRecord(reformatted)).not.toBe(canonicalRecord(example));
  });
});
