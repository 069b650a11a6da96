import fc from 'fast-check';
import type { LedgerEvent, OutreachCampaignSent, ReportPublished } from './catalog';
import { MAX_STREAM_ID, PUBLICATION_ID, streamIdOf } from './catalog';
import { validateEvent } from './validation/validate-event';

const NOW = new Date('2024-06-01T12:00:00Z');
const ID = '3f2b8c1e-9a4d-4c6b-8e7f-0a1b2c3d4e5f';

function campaign(campaignId: string): OutreachCampaignSent {
  return { eventId: ID, type: 'OutreachCampaignSent', occurredAt: '2024-05-01T08:00:00Z', data: { campaignId, audience: 'all', channel: 'ads', recipients: 1 } };
}

function active(learnerId: string): LedgerEvent {
  return { eventId: ID, type: 'LearnerActive', learnerId, occurredAt: '2024-05-01T08:00:00Z', data: {} };
}

function publication(publicationId: string): ReportPublished {
  return {
    eventId: ID,
    type: 'ReportPublished',
    occurredAt: '2024-05-01T08:00:00Z',
    data: {
      publicationId,
      report: { period: { from: '2020-01-01', to: '2020-12-31' }, knownAt: '2021-03-15T00:00:00.000Z', logPosition: 0, figures: {} },
      seal: { treeSize: 0, merkleRoot: '' },
    },
  };
}

const measure = (streamId: string) => ({ codePoints: [...streamId].length, utf8Bytes: Buffer.byteLength(streamId, 'utf8') });

describe('the longest stream id (MAX_STREAM_ID)', () => {
  it('is reached by a campaign of 128 four-byte characters: 137 code points, 521 UTF-8 bytes', () => {
    const longest = campaign('\u{10FFFF}'.repeat(128));
    expect(validateEvent(longest, NOW).ok).toBe(true);
    expect(measure(streamIdOf(longest))).toEqual({ codePoints: 137, utf8Bytes: MAX_STREAM_ID.utf8Bytes });
    expect(validateEvent(campaign('\u{10FFFF}'.repeat(129)), NOW).ok).toBe(false);
  });

  it('is reached by a publication id of 200 characters: 212 code points', () => {
    const id = 'p'.repeat(200);
    expect(PUBLICATION_ID.test(id)).toBe(true);
    expect(PUBLICATION_ID.test(`${id}p`)).toBe(false);
    expect(measure(streamIdOf(publication(id)))).toEqual({ codePoints: MAX_STREAM_ID.codePoints, utf8Bytes: 212 });
  });

  it('bounds a learner stream at 72', () => {
    const longest = active('L'.repeat(64));
    expect(validateEvent(longest, NOW).ok).toBe(true);
    expect(measure(streamIdOf(longest))).toEqual({ codePoints: 72, utf8Bytes: 72 });
    expect(validateEvent(active('L'.repeat(65)), NOW).ok).toBe(false);
  });

  it('holds for every event the validator accepts, whatever text it was sent', () => {
    const within = (streamId: string) => {
      const { codePoints, utf8Bytes } = measure(streamId);
      return codePoints <= MAX_STREAM_ID.codePoints && utf8Bytes <= MAX_STREAM_ID.utf8Bytes;
    };
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 140 }),
      fc.string({ unit: 'binary', minLength: 120, maxLength: 140 }),
      fc.constantFrom('\u{10FFFF}'.repeat(128), '\u{10FFFF}'.repeat(129), 'x'.repeat(128), 'x'.repeat(129)),
    );
    fc.assert(
      fc.property(text, (id) => {
        for (const event of [campaign(id), active(id)]) {
          const result = validateEvent(event, NOW);
          if (result.ok && !within(streamIdOf(result.event))) return false;
        }
        return !PUBLICATION_ID.test(id) || within(streamIdOf(publication(id)));
      }),
      { numRuns: 500 },
    );
  });
});
