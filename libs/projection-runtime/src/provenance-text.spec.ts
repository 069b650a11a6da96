import type { EventPages, ExplainedEvent, OpenProvenance, ProvenanceHead } from './explain';
import type { TextChunks } from './provenance-text';
import { provenanceJson, provenanceNdjson } from './provenance-text';

const head: ProvenanceHead = {
  figure: 'impact.positive-progressions',
  value: 2,
  rule: 'distinct learners with a declaration',
  period: { from: '2020-01-01', to: '2020-12-31' },
  knownAt: '2021-03-15T00:00:00.000Z',
  logPosition: 9,
};

const event = (position: number, learnerId: string | null = `L${position}`): ExplainedEvent => ({
  position,
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type: 'ProfessionalOutcomeReported',
  learnerId,
  occurredAt: '2020-06-01T00:00:00+02:00',
  recordedAt: '2021-01-10T12:00:00.000Z',
});

/** A provenance whose events come in these pages, then `next`; its count known first or not. */
function provenance(pages: ExplainedEvent[][], countKnownFirst: boolean, next: number | null = null): OpenProvenance {
  const eventCount = pages.flat().length;
  async function* read(): EventPages {
    for (const page of pages) yield page;
    return { eventCount, next };
  }
  return { head, eventCount: countKnownFirst ? eventCount : undefined, pages: () => read() };
}

async function text(chunks: TextChunks): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('a provenance written as text, page by page', () => {
  it.each([
    ['no event', []],
    ['one event', [[event(4)]]],
    ['events over pages, a learner null', [[event(4), event(5, null)], [event(7)]]],
  ])('json with the count known first: exactly JSON.stringify(document, null, 2) (%s)', async (_, pages) => {
    const events = pages.flat();
    const expected = JSON.stringify({ ...head, eventCount: events.length, events, next: null }, null, 2);
    expect(await text(provenanceJson(provenance(pages, true), {}))).toBe(`${expected}\n`);
  });

  it('json with the count known only at the end: the same document, eventCount after the events', async () => {
    const pages = [[event(4), event(5)], [event(7)]];
    const written = await text(provenanceJson(provenance(pages, false, 7), {}));
    const parsed = JSON.parse(written) as Record<string, unknown>;
    expect(parsed).toEqual({ ...head, events: pages.flat(), eventCount: 3, next: 7 });
    expect(Object.keys(parsed)).toEqual(['figure', 'value', 'rule', 'period', 'knownAt', 'logPosition', 'events', 'eventCount', 'next']);
    expect(await text(provenanceJson(provenance(pages, false, 7), {}, 0))).toBe(`${JSON.stringify(parsed)}\n`);
  });

  it('ndjson: the head, one line per event, then the count and the cursor', async () => {
    const pages = [[event(4)], [event(5), event(7)]];
    const lines = (await text(provenanceNdjson(provenance(pages, false), {}))).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual([head, ...pages.flat(), { eventCount: 3, next: null }]);
    const known = (await text(provenanceNdjson(provenance(pages, true), {}))).split('\n');
    expect(JSON.parse(known[0] ?? '')).toEqual({ ...head, eventCount: 3 });
  });
});
