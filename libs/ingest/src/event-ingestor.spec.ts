import { admitted, campaignSent, learnerActive, mentorProfileUpdated, mentorRegistered, pathEnded, retracted, sessionHeld, surveyAnswered, uuidOf } from '@ledger/testing/event-builders';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import { EventIngestor, EventsRejectedError } from './event-ingestor';

const now = () => new Date('2021-01-10T12:00:00Z');

describe('EventIngestor: the rules that refer to the log (EVENTS.md "Bad input")', () => {
  let sut: ReturnType<typeof tempSqliteStore>;
  let ingestor: EventIngestor;
  beforeEach(() => {
    sut = tempSqliteStore(now);
    ingestor = new EventIngestor(sut.store, now);
  });
  afterEach(() => sut.dispose());

  async function refusal(raws: unknown[]): Promise<EventsRejectedError> {
    const before = (await sut.store.head()).position;
    const error = await ingestor.ingest(raws).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventsRejectedError);
    expect((await sut.store.head()).position).toBe(before); // nothing of a refused call is stored
    return error as EventsRejectedError;
  }

  it('appends a valid batch and reports each event', async () => {
    const out = await ingestor.ingest([surveyAnswered(1, 'a'), admitted(2, 'a', 'A1'), campaignSent(3)]);
    expect(out.map((o) => [o.status, o.position])).toEqual([
      ['appended', 1],
      ['appended', 2],
      ['appended', 3],
    ]);
  });

  it('refuses the whole batch when one event has a bad shape, naming index and field', async () => {
    const bad = { ...learnerActive(2, 'a'), data: { mood: 'happy' } };
    const error = await refusal([learnerActive(1, 'a'), bad]);
    expect(error.kind).toBe('invalid');
    expect(error.errors).toEqual([expect.objectContaining({ index: 1, eventId: uuidOf(2), field: 'data.mood' })]);
  });

  it('accepts a PathEnded for an admission earlier in the log or earlier in the same batch', async () => {
    await ingestor.ingest([admitted(1, 'a', 'A1')]);
    await ingestor.ingest([pathEnded(2, 'a', 'A1'), admitted(3, 'a', 'A2'), pathEnded(4, 'a', 'A2')]);
    expect((await sut.store.head()).position).toBe(4);
  });

  it('refuses a PathEnded for an unknown admission, or for an admission that comes later', async () => {
    const unknown = await refusal([pathEnded(1, 'a', 'A9')]);
    expect(unknown.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.admissionId' })]);
    const later = await refusal([pathEnded(2, 'a', 'A1'), admitted(3, 'a', 'A1')]);
    expect(later.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.admissionId' })]);
  });

  it("refuses a PathEnded for another learner's admission", async () => {
    await ingestor.ingest([admitted(1, 'a', 'A1')]);
    const error = await refusal([pathEnded(2, 'b', 'A1')]);
    expect(error.errors[0]?.field).toBe('data.admissionId');
  });

  it('keeps an admission usable by PathEnded after the admission is retracted', async () => {
    await ingestor.ingest([admitted(1, 'a', 'A1'), retracted(2, 'a', uuidOf(1))]);
    await expect(ingestor.ingest([pathEnded(3, 'a', 'A1')])).resolves.toHaveLength(1);
  });

  it('accepts a retraction of an earlier event of the same learner', async () => {
    await ingestor.ingest([learnerActive(1, 'a')]);
    await expect(ingestor.ingest([retracted(2, 'a', uuidOf(1))])).resolves.toEqual([
      expect.objectContaining({ status: 'appended', position: 2 }),
    ]);
  });

  it('refuses a retraction of an unknown event', async () => {
    const error = await refusal([retracted(1, 'a', uuidOf(77))]);
    expect(error.errors).toEqual([expect.objectContaining({ field: 'data.retractedEventId', message: expect.stringContaining('no earlier event') })]);
  });

  it("refuses a retraction of another learner's event, and of a campaign", async () => {
    await ingestor.ingest([learnerActive(1, 'a'), campaignSent(2)]);
    expect((await refusal([retracted(3, 'b', uuidOf(1))])).errors[0]?.field).toBe('data.retractedEventId');
    expect((await refusal([retracted(4, 'a', uuidOf(2))])).errors[0]?.field).toBe('data.retractedEventId');
  });

  it('refuses retracting a retraction, and retracting an event twice', async () => {
    await ingestor.ingest([learnerActive(1, 'a'), retracted(2, 'a', uuidOf(1))]);
    expect((await refusal([retracted(3, 'a', uuidOf(2))])).errors[0]?.message).toContain('cannot be retracted');
    expect((await refusal([retracted(4, 'a', uuidOf(1))])).errors[0]?.message).toContain('already retracted');
    await ingestor.ingest([learnerActive(5, 'a')]);
    const twiceInOneBatch = await refusal([retracted(6, 'a', uuidOf(5)), retracted(7, 'a', uuidOf(5))]);
    expect(twiceInOneBatch.errors).toEqual([expect.objectContaining({ index: 1, field: 'data.retractedEventId' })]);
  });

  it('refuses a retraction of an event that comes later in the batch', async () => {
    const error = await refusal([retracted(1, 'a', uuidOf(2)), learnerActive(2, 'a')]);
    expect(error.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.retractedEventId' })]);
  });

  it('treats the same event sent again as a no-op, whatever else holds', async () => {
    await ingestor.ingest([admitted(1, 'a', 'A1'), pathEnded(2, 'a', 'A1')]);
    const again = await ingestor.ingest([pathEnded(2, 'a', 'A1')]);
    expect(again).toEqual([expect.objectContaining({ status: 'already-present', position: 2 })]);
  });

  it('refuses a reused eventId with different content as a conflict, in the log or in the batch', async () => {
    await ingestor.ingest([learnerActive(1, 'a')]);
    const inLog = await refusal([learnerActive(2, 'a'), { ...learnerActive(1, 'a'), learnerId: 'b' }]);
    expect(inLog.kind).toBe('conflict');
    expect(inLog.errors).toEqual([expect.objectContaining({ index: 1, field: 'eventId', eventId: uuidOf(1) })]);
    const inBatch = await refusal([learnerActive(3, 'a'), { ...learnerActive(3, 'a'), occurredAt: '2020-01-01T00:00:00Z' }]);
    expect(inBatch.kind).toBe('conflict');
    expect(inBatch.errors[0]?.index).toBe(1);
  });

  it('reports a stale expected revision given by the client as a conflict', async () => {
    await ingestor.ingest([learnerActive(1, 'a')]);
    const error = await ingestor
      .ingest([learnerActive(2, 'a')], { expectedRevisions: new Map([['learner-a', 'no-stream']]) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'conflict', errors: [expect.objectContaining({ field: 'streamRevision' })] });
  });

  describe('when another writer appends to the stream between the check and the append', () => {
    function racingIngestor(raceWith: unknown): EventIngestor {
      let raced = false;
      return new EventIngestor(sut.store, now, async (request) => {
        if (!raced) {
          raced = true;
          await ingestor.ingest([raceWith]); // another writer gets there first
        }
        return sut.store.append(request);
      });
    }

    it('checks a retraction again, and accepts it when it still holds', async () => {
      await ingestor.ingest([learnerActive(1, 'a')]);
      const out = await racingIngestor(learnerActive(2, 'a')).ingest([retracted(3, 'a', uuidOf(1))]);
      expect(out).toEqual([expect.objectContaining({ status: 'appended', streamRevision: 2, position: 3 })]);
    });

    it('checks a retraction again, and refuses it when the event was retracted meanwhile', async () => {
      await ingestor.ingest([learnerActive(1, 'a')]);
      const error = await racingIngestor(retracted(2, 'a', uuidOf(1)))
        .ingest([retracted(3, 'a', uuidOf(1))])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid', errors: [expect.objectContaining({ message: expect.stringContaining('already retracted') })] });
      expect((await sut.store.head()).position).toBe(2);
    });

    it('does not hold other events to the revision it read: concurrent events of one learner all go in', async () => {
      const out = await racingIngestor(learnerActive(1, 'a')).ingest([learnerActive(2, 'a')]);
      expect(out).toEqual([expect.objectContaining({ status: 'appended', streamRevision: 1 })]);
    });
  });

  describe('the mentor references of EVENTS.md v1.1', () => {

    it('accepts sessions and profile updates of a mentor registered in the log or on an earlier line', async () => {
      await ingestor.ingest([mentorRegistered(1, 'm1')]);
      await ingestor.ingest([sessionHeld(2, 'a', 'm1'), mentorRegistered(3, 'm2'), mentorProfileUpdated(4, 'm2', { assessed: ['refugee'], held: ['refugee'] }), sessionHeld(5, 'b', 'm2')]);
      expect((await sut.store.head()).position).toBe(5);
      // The same registration again is a no-op, not a second registration.
      expect((await ingestor.ingest([mentorRegistered(1, 'm1')]))[0]?.status).toBe('already-present');
    });

    it('refuses a session of a mentor never registered, or registered on a later line, naming data.mentorId', async () => {
      const never = await refusal([sessionHeld(1, 'a', 'ghost')]);
      expect(never.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.mentorId' })]);
      const later = await refusal([mentorRegistered(2, 'm1'), sessionHeld(3, 'a', 'm2'), mentorProfileUpdated(4, 'm2', { assessed: [], held: [] }), mentorRegistered(5, 'm2')]);
      expect(later.errors.map((e) => [e.index, e.field])).toEqual([
        [1, 'data.mentorId'],
        [2, 'data.mentorId'],
      ]);
    });

    it('refuses a second registration, in the log or in the same batch', async () => {
      await ingestor.ingest([mentorRegistered(1, 'm1')]);
      const again = await refusal([mentorRegistered(2, 'm1')]);
      expect(again.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.mentorId', message: expect.stringContaining('already registered') })]);
      const twice = await refusal([mentorRegistered(3, 'm9'), mentorRegistered(4, 'm9')]);
      expect(twice.errors.map((e) => [e.index, e.field])).toEqual([[1, 'data.mentorId']]);
    });

    it('lets one of two concurrent registrations of a mentor through, never both', async () => {
      const results = await Promise.allSettled([ingestor.ingest([mentorRegistered(1, 'm1')]), ingestor.ingest([mentorRegistered(2, 'm1')])]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await sut.store.readStream('mentor-m1')).length).toBe(1);
    });
  });
});
