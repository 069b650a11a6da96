import type { SchemaObject } from '@nestjs/swagger';

/** The response shapes, for the OpenAPI document (KPIS.md and docs/audit.md define them). */

/** `POST /events`'s answer: each event's position, or that it was already present. */
export const APPENDED_EVENTS: SchemaObject = {
  type: 'object',
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          eventId: { type: 'string' },
          status: { type: 'string', enum: ['appended', 'already-present'] },
          position: { type: 'integer' },
          streamId: { type: 'string' },
          streamRevision: { type: 'integer' },
          recordedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

/** A refused `POST /events`: the errors by event and field, the first 100 of them, and how many there are. */
export const EVENTS_REFUSED: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    message: { type: 'string', example: 'nothing of this request was stored' },
    errors: {
      type: 'array',
      maxItems: 100,
      description: 'the first 100 errors, in event order',
      items: { type: 'object', properties: { index: { type: 'integer' }, eventId: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } } },
    },
    errorCount: { type: 'integer', description: 'how many errors there are in all' },
  },
};

/** A store that cannot write now (503, with a Retry-After header): what kind of failure, said by the ledger. */
export const STORE_FAILURE: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer', example: 503 },
    error: { type: 'string', example: 'Service Unavailable' },
    kind: { type: 'string', enum: ['disk-full', 'read-only', 'busy', 'unavailable'] },
    message: { type: 'string', example: 'the ledger store is out of space (disk full) (SQLITE_FULL): nothing of this request was stored' },
    retryAfter: { type: 'integer', description: 'seconds, as in the Retry-After header' },
  },
};

const PERIOD: SchemaObject = {
  type: 'object',
  properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } },
};

export const REPORT_DOCUMENT: SchemaObject = {
  type: 'object',
  description: "KPIS.md's report document",
  properties: {
    period: PERIOD,
    knownAt: { type: 'string', format: 'date-time', description: 'the instant asked for, UTC, to the millisecond' },
    logPosition: { type: 'integer', description: 'the last log position recorded at or before knownAt' },
    figures: { type: 'object', additionalProperties: { type: 'number', nullable: true }, example: { 'impact.positive-progressions': 12 } },
  },
};

const EVENT_REF: SchemaObject = {
  type: 'object',
  properties: {
    position: { type: 'integer' },
    eventId: { type: 'string' },
    type: { type: 'string' },
    learnerId: { type: 'string', nullable: true },
    occurredAt: { type: 'string' },
    recordedAt: { type: 'string' },
  },
};

export const FIGURE_PROVENANCE: SchemaObject = {
  type: 'object',
  properties: {
    figure: { type: 'string' },
    value: { type: 'number', nullable: true },
    rule: { type: 'string', description: 'what the figure counts, in words' },
    period: PERIOD,
    knownAt: { type: 'string', format: 'date-time' },
    logPosition: { type: 'integer' },
    eventCount: { type: 'integer', description: 'how many events make the figure; `events` lists the first `limit` of them (after `after`)' },
    events: { type: 'array', items: EVENT_REF },
    next: { type: 'integer', nullable: true, description: 'the cursor of the next page (`after`): the position of the last event listed when more follow, else null' },
  },
};

const MOMENT: SchemaObject = {
  type: 'object',
  properties: { knownAt: { type: 'string', format: 'date-time' }, logPosition: { type: 'integer' }, value: { type: 'number', nullable: true } },
};

export const FIGURE_CHANGE: SchemaObject = {
  type: 'object',
  properties: {
    figure: { type: 'string' },
    period: PERIOD,
    rule: { type: 'string' },
    a: MOMENT,
    b: MOMENT,
    added: { type: 'array', items: EVENT_REF, description: 'events recorded after A that the figure counts at B' },
    retracted: {
      type: 'array',
      description: 'events the figure counted at A, retracted by B, with their retraction',
      items: { type: 'object', properties: { event: EVENT_REF, by: { ...EVENT_REF, nullable: true } } },
    },
    explained: { type: 'boolean' },
  },
};

const SEAL: SchemaObject = {
  type: 'object',
  properties: { treeSize: { type: 'integer' }, merkleRoot: { type: 'string', description: 'RFC 6962 root of the first treeSize events, hex' } },
};

export const PUBLICATION: SchemaObject = {
  type: 'object',
  properties: {
    publicationId: { type: 'string' },
    eventId: { type: 'string' },
    position: { type: 'integer' },
    recordedAt: { type: 'string', format: 'date-time' },
    report: REPORT_DOCUMENT,
    seal: SEAL,
  },
};

/** What POST /publications answers: the publication as GET /publications lists it. */
export const PUBLISHED: SchemaObject = PUBLICATION;

export const JOB_STARTED: SchemaObject = { type: 'object', properties: { jobId: { type: 'string', format: 'uuid' } } };

export const JOB: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: ['audit', 'rebuild'] },
    state: { type: 'string', enum: ['running', 'done', 'failed'] },
    progress: {
      type: 'object',
      properties: { phase: { type: 'string' }, done: { type: 'integer' }, total: { type: 'integer' } },
    },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    startedBy: { type: 'object', properties: { keyId: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } },
    request: { type: 'object', description: 'what was asked' },
    result: { type: 'object', description: "an audit's findings (docs/audit.md), or a rebuild's summary" },
    error: { type: 'string' },
  },
};

export const PROOF_BUNDLE: SchemaObject = {
  type: 'object',
  description:
    'impact-ledger-proof/1 (a v1 leaf: `event`) or impact-ledger-proof/2 (a v2 leaf: `leaf` and `payload`, "erased" once erased): ' +
    'check it with tools/verify-proof.js alone (docs/audit.md, docs/erasure.md)',
  properties: {
    format: { type: 'string', enum: ['impact-ledger-proof/1', 'impact-ledger-proof/2'], example: 'impact-ledger-proof/2' },
    event: { type: 'object', description: 'format 1: the event as stored' },
    leaf: { type: 'object', description: "format 2: the leaf's public part (v, position, type, recordedAt, commitment)" },
    payload: { description: 'format 2: the personal part and its salt, or "erased"' },
    leafHash: { type: 'string' },
    leafIndex: { type: 'integer' },
    treeSize: { type: 'integer' },
    rootHash: { type: 'string' },
    inclusionProof: { type: 'array', items: { type: 'string' } },
    sealedBy: { type: 'object', properties: { publicationId: { type: 'string' }, eventId: { type: 'string' }, position: { type: 'integer' } } },
  },
};

export const HEALTH: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'], description: 'ok: the store answers, its last write did not fail, and every projection is caught up' },
    store: { type: 'string', enum: ['up', 'down'] },
    head: { type: 'integer', description: 'position of the last event of the log' },
    lastWriteError: {
      type: 'object',
      description: 'the last write the store refused (disk full, read-only...), until a write succeeds again; absent when none',
      properties: {
        kind: { type: 'string', enum: ['disk-full', 'read-only', 'busy', 'unavailable'] },
        message: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
      },
    },
    projections: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, version: { type: 'integer' }, position: { type: 'integer' }, lag: { type: 'integer', description: 'events behind the head' } },
      },
    },
  },
};

/** `{ statusCode, error, message, field? }`: every refusal. */
export const ERROR: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string', description: 'the query parameter, path parameter or body property that was wrong (400)' },
    errors: { type: 'array', maxItems: 100, items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
    errorCount: { type: 'integer', description: 'how many errors there are in all (only the first 100 are listed)' },
  },
};
