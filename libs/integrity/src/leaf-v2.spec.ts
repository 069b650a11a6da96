import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { leafHashHex } from './hashing';
import { canonicalPersonal, canonicalPublicLeaf, commitmentHex, leafV2HashHex } from './leaf-v2';

const SALT = '11'.repeat(32);
const personal = {
  data: canonicalJson({ courseId: 'C"1\\\u2028é😀', theme: 'data' }),
  eventId: '00000001-0000-4000-8000-000000000001',
  learnerId: 'L3-é😀',
  occurredAt: '2020-03-01T10:00:00.5+05:30',
  streamId: 'learner-L3-é😀',
  streamRevision: 7,
};
const publicPart = { commitment: 'ab'.repeat(32), position: 123456, recordedAt: '2021-01-10T12:00:00.000Z', type: 'CourseStarted' };

describe('leaf v2 (docs/erasure.md)', () => {
  it('builds the personal part and the public leaf as RFC 8785 canonical JSON of the objects', () => {
    expect(canonicalPersonal(personal)).toBe(canonicalJson({ ...personal, data: JSON.parse(personal.data) as unknown }));
    const campaign = { ...personal, learnerId: null, streamId: 'campaign-K1' };
    expect(canonicalPersonal(campaign)).toBe(canonicalJson({ ...campaign, learnerId: undefined, data: JSON.parse(campaign.data) as unknown }));
    expect(canonicalPersonal(campaign)).not.toContain('learnerId');
    expect(canonicalPublicLeaf(publicPart)).toBe(canonicalJson({ ...publicPart, v: 2 }));
  });

  it('commits with SHA-256(salt || personal) and hashes the public leaf per RFC 6962', () => {
    const expected = createHash('sha256').update(Buffer.from(SALT, 'hex')).update(canonicalPersonal(personal), 'utf8').digest('hex');
    expect(commitmentHex(SALT, personal)).toBe(expected);
    expect(commitmentHex('22'.repeat(32), personal)).not.toBe(expected); // another salt, another commitment
    expect(leafV2HashHex(publicPart)).toBe(leafHashHex(canonicalJson({ ...publicPart, v: 2 })));
    expect(leafV2HashHex({ ...publicPart, type: 'LearnerActive' })).not.toBe(leafV2HashHex(publicPart));
  });

  it('refuses a salt that is not 32 bytes of lower-case hex', () => {
    for (const salt of ['', '11'.repeat(31), 'AB'.repeat(32), `${'11'.repeat(31)}zz`]) {
      expect(() => commitmentHex(salt, personal)).toThrow(/32 bytes as 64 lower-case hex digits/);
    }
  });

  it('commits the same through its reused buffer whatever the sizes before (a payload larger than the buffer, then small ones)', () => {
    const expectedOf = (p: typeof personal) => createHash('sha256').update(Buffer.from(SALT, 'hex')).update(canonicalPersonal(p), 'utf8').digest('hex');
    const large = { ...personal, data: canonicalJson({ text: 'é😀'.repeat(40_000) }) };
    const sizes = [personal, large, personal, { ...personal, data: '{}' }, large];
    for (const p of sizes) expect(commitmentHex(SALT, p)).toBe(expectedOf(p));
  });
});
