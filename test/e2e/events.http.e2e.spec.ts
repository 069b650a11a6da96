import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { GroupCommitter } from '@ledger/ingest';
import type { EventStore } from '@ledger/store';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { admitted, learnerActive, pathEnded, uuidOf } from '../support/event-builders';

describe('POST /events (the real NestJS pipeline over a real SQLite file)', () => {
  let api: ApiUnderTest;
  let app: INestApplication;
  let store: EventStore;

  beforeEach(async () => {
    api = await startApi(); // the clock stands at 2021-01-10T12:00:00Z
    ({ app, store } = api);
  });
  afterEach(() => api.close());

  const post = (body: unknown) => request(app.getHttpServer()).post('/events').set(bearer(api.keys.ingest)).send(body as object);

  it('answers 201 for an appended event, with its position and revision', async () => {
    const res = await post(learnerActive(1, 'a')).expect(201);
    expect(res.body).toEqual({
      events: [
        {
          eventId: uuidOf(1),
          status: 'appended',
          position: 1,
          streamId: 'learner-a',
          streamRevision: 0,
          recordedAt: '2021-01-10T12:00:00.000Z',
        },
      ],
    });
  });

  it('answers 200 when every event was already present', async () => {
    await post(learnerActive(1, 'a')).expect(201);
    const res = await post(learnerActive(1, 'a')).expect(200);
    expect(res.body.events[0].status).toBe('already-present');
  });

  it('appends a batch (an array) all or nothing', async () => {
    await post([admitted(1, 'a', 'A1'), pathEnded(2, 'a', 'A1')]).expect(201);
    const res = await post([learnerActive(3, 'a'), pathEnded(4, 'a', 'A-unknown')]).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ index: 1, field: 'data.admissionId' })]);
    expect((await store.head()).position).toBe(2);
  });

  it('answers 400 naming every wrong field, and stores nothing', async () => {
    const res = await post({ ...learnerActive(1, 'a'), occurredAt: '2020-03-01 10:00:00', data: { x: 1 } }).expect(400);
    expect(res.body.message).toBe('nothing of this request was stored');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['data.x', 'occurredAt']);
    expect((await store.head()).position).toBe(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    await request(app.getHttpServer()).post('/events').set(bearer(api.keys.ingest)).set('content-type', 'application/json').send('{"eventId":').expect(400);
    expect((await store.head()).position).toBe(0);
  });

  it('answers 409 for a reused eventId with different content', async () => {
    await post(learnerActive(1, 'a')).expect(201);
    const res = await post({ ...learnerActive(1, 'a'), learnerId: 'b' }).expect(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'eventId', eventId: uuidOf(1) })]);
  });

  it('answers 413 for an oversized body and stores nothing', async () => {
    const many = Array.from({ length: 60_000 }, (_, i) => learnerActive(i + 1, 'a'));
    await post(many).expect(413);
    expect((await store.head()).position).toBe(0);
  });

  it('answers concurrent single-event requests from shared commits; every acknowledged event is stored', async () => {
    const committer = app.get(GroupCommitter);
    const before = committer.stats();
    const server = app.getHttpServer();
    const responses = await Promise.all(
      Array.from({ length: 64 }, (_, i) => request(server).post('/events').set(bearer(api.keys.ingest)).send(learnerActive(100 + i, `c${i % 8}`))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(64).fill(201));
    const positions = responses.map((r) => r.body.events[0].position as number).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    expect(committer.stats().requests - before.requests).toBe(64);
    for (let c = 0; c < 8; c += 1) expect(await store.readStream(`learner-c${c}`)).toHaveLength(8);
  });
});
