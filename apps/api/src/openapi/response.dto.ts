import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@ledger/auth';

/*
 * The API's answers as classes: @nestjs/swagger makes the OpenAPI document's schemas from
 * their decorators (KPIS.md and docs/audit.md define the shapes). They document; the
 * controllers return the ledger's own types, which have these fields.
 */

const FAILURE_KINDS = ['disk-full', 'read-only', 'busy', 'unavailable'];

/** One error of a refusal: the field and what is wrong with it. */
export class FieldErrorDto {
  @ApiProperty() readonly field!: string;
  @ApiProperty() readonly message!: string;
}

/** `{ statusCode, error, message, field? }`: every refusal. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer' }) readonly statusCode!: number;
  @ApiProperty() readonly error!: string;
  @ApiProperty() readonly message!: string;
  @ApiPropertyOptional({ description: 'the query parameter, path parameter or body property that was wrong (400)' }) readonly field?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], maxItems: 100 }) readonly errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'integer', description: 'how many errors there are in all (only the first 100 are listed)' }) readonly errorCount?: number;
}

/** One error of a refused `POST /events`, by event. */
export class EventErrorDto {
  @ApiProperty({ type: 'integer', description: 'the event in the batch, from 0' }) readonly index!: number;
  @ApiPropertyOptional() readonly eventId?: string;
  @ApiProperty() readonly field!: string;
  @ApiProperty() readonly message!: string;
}

/** A refused `POST /events`: the errors by event and field, the first 100 of them, and how many there are. */
export class EventsRefusedResponse {
  @ApiProperty({ type: 'integer' }) readonly statusCode!: number;
  @ApiProperty({ example: 'nothing of this request was stored' }) readonly message!: string;
  @ApiProperty({ type: [EventErrorDto], maxItems: 100, description: 'the first 100 errors, in event order' }) readonly errors!: EventErrorDto[];
  @ApiProperty({ type: 'integer', description: 'how many errors there are in all' }) readonly errorCount!: number;
}

/** A store that cannot write now (503, with a Retry-After header): what kind of failure, said by the ledger. */
export class StoreFailureResponse {
  @ApiProperty({ type: 'integer', example: 503 }) readonly statusCode!: number;
  @ApiProperty({ example: 'Service Unavailable' }) readonly error!: string;
  @ApiProperty({ enum: FAILURE_KINDS }) readonly kind!: string;
  @ApiProperty({ example: 'the ledger store is out of space (disk full) (SQLITE_FULL): nothing of this request was stored' }) readonly message!: string;
  @ApiProperty({ type: 'integer', description: 'seconds, as in the Retry-After header' }) readonly retryAfter!: number;
}

export class AppendedEventDto {
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ enum: ['appended', 'already-present'] }) readonly status!: string;
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty() readonly streamId!: string;
  @ApiProperty({ type: 'integer' }) readonly streamRevision!: number;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
}

/** `POST /events`'s answer: each event's position, or that it was already present. */
export class AppendedEventsResponse {
  @ApiProperty({ type: [AppendedEventDto] }) readonly events!: AppendedEventDto[];
}

export class PeriodDto {
  @ApiProperty({ format: 'date' }) readonly from!: string;
  @ApiProperty({ format: 'date' }) readonly to!: string;
}

/** KPIS.md's report document. */
export class ReportDocumentResponse {
  @ApiProperty({ type: PeriodDto }) readonly period!: PeriodDto;
  @ApiProperty({ format: 'date-time', description: 'the instant asked for, UTC, to the millisecond' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer', description: 'the last log position recorded at or before knownAt' }) readonly logPosition!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number', nullable: true },
    example: { 'impact.positive-progressions': 12 },
    description: 'each figure id of KPIS.md with its value (null: no value for this period)',
  })
  readonly figures!: Record<string, number | null>;
}

/** An event a figure counts, as provenance lists it. */
export class EventRefDto {
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty({ nullable: true, type: 'string' }) readonly learnerId!: string | null;
  @ApiProperty() readonly occurredAt!: string;
  @ApiProperty() readonly recordedAt!: string;
  @ApiPropertyOptional({ enum: [true], description: 'the payload was erased (docs/erasure.md): eventId is `erased:<position>`, learnerId null, occurredAt empty; position, type and leaf stay' })
  readonly erased?: true;
  @ApiPropertyOptional({ description: 'an erased event: its leaf hash (RFC 6962, hex), which stays in the tree' }) readonly leaf?: string;
}

export class FigureProvenanceResponse {
  @ApiProperty() readonly figure!: string;
  @ApiProperty({ type: 'number', nullable: true }) readonly value!: number | null;
  @ApiProperty({ description: 'what the figure counts, in words' }) readonly rule!: string;
  @ApiProperty({ type: PeriodDto }) readonly period!: PeriodDto;
  @ApiProperty({ format: 'date-time' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer' }) readonly logPosition!: number;
  @ApiProperty({ type: 'integer', description: 'how many events make the figure; `events` lists the first `limit` of them (after `after`)' }) readonly eventCount!: number;
  @ApiProperty({ type: [EventRefDto] }) readonly events!: EventRefDto[];
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'the cursor of the next page (`after`): the position of the last event listed when more follow, else null',
  })
  readonly next!: number | null;
}

/** A figure at one moment. */
export class MomentDto {
  @ApiProperty({ format: 'date-time' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer' }) readonly logPosition!: number;
  @ApiProperty({ type: 'number', nullable: true }) readonly value!: number | null;
}

export class RetractedEventDto {
  @ApiProperty({ type: EventRefDto }) readonly event!: EventRefDto;
  @ApiProperty({ type: EventRefDto, nullable: true, description: 'the retraction' }) readonly by!: EventRefDto | null;
}

export class ErasedLearnersDto {
  @ApiProperty({ type: 'integer' }) readonly learners!: number;
}

export class FigureChangeResponse {
  @ApiProperty() readonly figure!: string;
  @ApiProperty({ type: PeriodDto }) readonly period!: PeriodDto;
  @ApiProperty() readonly rule!: string;
  @ApiProperty({ type: MomentDto }) readonly a!: MomentDto;
  @ApiProperty({ type: MomentDto }) readonly b!: MomentDto;
  @ApiProperty({ type: [EventRefDto], description: 'events recorded after A that the figure counts at B' }) readonly added!: EventRefDto[];
  @ApiProperty({ type: [RetractedEventDto], description: 'events the figure counted at A, retracted by B, with their retraction' }) readonly retracted!: RetractedEventDto[];
  @ApiProperty({ type: ErasedLearnersDto, description: 'learners erased between A and B: a count, never who; their events count at neither moment now' }) readonly erased!: ErasedLearnersDto;
  @ApiProperty() readonly explained!: boolean;
}

export class SealDto {
  @ApiProperty({ type: 'integer' }) readonly treeSize!: number;
  @ApiProperty({ description: 'RFC 6962 root of the first treeSize events, hex' }) readonly merkleRoot!: string;
}

/** A publication sealed in the log; also what POST /publications answers. */
export class PublicationResponse {
  @ApiProperty() readonly publicationId!: string;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty({ type: ReportDocumentResponse }) readonly report!: ReportDocumentResponse;
  @ApiProperty({ type: SealDto }) readonly seal!: SealDto;
}

/** `POST /publications`: the publication, with the ledger's signed checkpoint of the sealed tree (as `ledger publish --out`). */
export class PublishedResponse extends PublicationResponse {
  @ApiProperty({ description: 'the signed checkpoint of the sealed tree (C2SP tlog-checkpoint), extension lines `publication <id>` and `seal <eventId> <position>`' })
  readonly checkpoint!: string;
  @ApiProperty({ description: "the ledger's verifier key that signed it, as `ledger public-key` prints it" }) readonly publicKey!: string;
}

export class JobStartedResponse {
  @ApiProperty({ format: 'uuid' }) readonly jobId!: string;
}

export class JobProgressDto {
  @ApiProperty() readonly phase!: string;
  @ApiProperty({ type: 'integer' }) readonly done!: number;
  @ApiProperty({ type: 'integer' }) readonly total!: number;
}

export class JobStarterDto {
  @ApiProperty() readonly keyId!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly role!: string;
}

export class JobResponse {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ enum: ['audit', 'rebuild'] }) readonly kind!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) readonly state!: string;
  @ApiProperty({ type: JobProgressDto }) readonly progress!: JobProgressDto;
  @ApiProperty({ format: 'date-time' }) readonly startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) readonly finishedAt?: string;
  @ApiProperty({ type: JobStarterDto }) readonly startedBy!: JobStarterDto;
  @ApiProperty({ type: 'object', description: 'what was asked', additionalProperties: true }) readonly request!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', description: "an audit's findings (docs/audit.md), or a rebuild's summary", additionalProperties: true })
  readonly result?: Record<string, unknown>;
  @ApiPropertyOptional() readonly error?: string;
}

export class SealedByDto {
  @ApiProperty() readonly publicationId!: string;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ type: 'integer' }) readonly position!: number;
}

/**
 * impact-ledger-proof/1 (a v1 leaf: `event`) or impact-ledger-proof/2 (a v2 leaf: `leaf` and
 * `payload`, "erased" once erased): check it with tools/verify-proof.js alone (docs/audit.md, docs/erasure.md).
 */
export class ProofBundleResponse {
  @ApiProperty({ enum: ['impact-ledger-proof/1', 'impact-ledger-proof/2'], example: 'impact-ledger-proof/2' }) readonly format!: string;
  @ApiPropertyOptional({ type: 'object', description: 'format 1: the event as logged (EVENTS.md), with its position', additionalProperties: true })
  readonly event?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', description: "format 2: the leaf's public part (v, position, type, recordedAt, commitment)", additionalProperties: true })
  readonly leaf?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'format 2: the personal part and its salt, or "erased"', oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string', enum: ['erased'] }] })
  readonly payload?: Record<string, unknown> | 'erased';
  @ApiProperty({ description: 'RFC 6962 leaf hash, hex' }) readonly leafHash!: string;
  @ApiProperty({ type: 'integer' }) readonly leafIndex!: number;
  @ApiProperty({ type: 'integer' }) readonly treeSize!: number;
  @ApiProperty({ description: 'RFC 6962 root of the first treeSize events, hex' }) readonly rootHash!: string;
  @ApiProperty({ type: [String] }) readonly inclusionProof!: string[];
  @ApiPropertyOptional({ type: SealedByDto, description: 'the publication whose seal the proof is against' }) readonly sealedBy?: SealedByDto;
  @ApiPropertyOptional({
    description: "the ledger's signed checkpoint of this tree (C2SP tlog-checkpoint); against a publication, its extension lines `publication <id>` and `seal <eventId> <position>`. Check with verify-proof.js --key",
  })
  readonly checkpoint?: string;
}

export class WriteErrorDto {
  @ApiProperty({ enum: FAILURE_KINDS }) readonly kind!: string;
  @ApiProperty() readonly message!: string;
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
}

export class ProjectionLagDto {
  @ApiProperty() readonly name!: string;
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty({ type: 'integer', description: 'events behind the head' }) readonly lag!: number;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'ok: the store answers, its last write did not fail, and every projection is caught up' })
  readonly status!: string;
  @ApiProperty({ enum: ['up', 'down'] }) readonly store!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'position of the last event of the log; null when the store does not answer' }) readonly head!: number | null;
  @ApiProperty({ type: [ProjectionLagDto] }) readonly projections!: ProjectionLagDto[];
  @ApiPropertyOptional({ type: WriteErrorDto, description: 'the last write the store refused (disk full, read-only...), until a write succeeds again; absent when none' })
  readonly lastWriteError?: WriteErrorDto;
}

/** Who a credential is (`GET /me`). */
export class CallerResponse {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: string;
}

/** An API key as listed: never its secret. */
export class ApiKeyResponse {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) readonly revokedAt!: string | null;
}

/** A key just created: the only answer that carries its secret. */
export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ example: 'lk_0123456789abcdef_...' }) readonly key!: string;
}

export class LabelsDto {
  @ApiProperty({ example: 'Courses started' }) readonly en!: string;
  @ApiProperty({ example: 'Cours commencés' }) readonly fr!: string;
}

export class DisplayGroupDto {
  @ApiProperty({ example: 'key' }) readonly id!: string;
  @ApiProperty({ type: LabelsDto }) readonly title!: LabelsDto;
}

export class CatalogueEntryDto {
  @ApiProperty({ example: 'key.courses-started' }) readonly id!: string;
  @ApiProperty({ type: LabelsDto }) readonly label!: LabelsDto;
  @ApiProperty({ enum: ['count', 'share', 'average'] }) readonly unit!: string;
  @ApiProperty({ type: LabelsDto, description: 'what it counts, in English and French (the English is the rule its provenance gives)' }) readonly counts!: LabelsDto;
  @ApiProperty({ description: 'the id of its display group' }) readonly group!: string;
  @ApiPropertyOptional({ description: 'the figure this one is a part of (shown under it, with its share of it)' }) readonly partOf?: string;
}

/** `GET /figures`: the figure catalogue of a period as known at a moment, in report order. */
export class FigureCatalogueResponse {
  @ApiProperty({ format: 'date-time', description: 'the moment the catalogue is read as known at (UTC)' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer', description: 'the last log position that existed then' }) readonly logPosition!: number;
  @ApiProperty({ type: [DisplayGroupDto] }) readonly groups!: DisplayGroupDto[];
  @ApiProperty({ type: [CatalogueEntryDto] }) readonly figures!: CatalogueEntryDto[];
}

/** GET /proofs/consistency: RFC 9162 §2.1.4, the hashes in base64 (as a checkpoint's root). */
export class ConsistencyProofResponse {
  @ApiProperty({ type: 'integer' }) readonly from!: number;
  @ApiProperty({ type: 'integer' }) readonly to!: number;
  @ApiProperty({ type: [String], description: 'the proof, base64 SHA-256 hashes, in RFC 9162 order' }) readonly proof!: string[];
}

/** GET /checkpoints: one checkpoint the ledger kept. */
export class CheckpointResponse {
  @ApiProperty({ type: 'integer', description: 'the tree size it signs' }) readonly treeSize!: number;
  @ApiProperty({ description: 'when the ledger signed it (RFC 3339)' }) readonly signedAt!: string;
  @ApiProperty({ description: 'the signed note (C2SP tlog-checkpoint), then the latest cosignature of each witness collected for it' }) readonly note!: string;
}

/** POST /checkpoint/cosignatures: what the ledger holds for the checkpoint once the request is kept. */
export class CollectedCosignaturesResponse {
  @ApiProperty({ type: 'integer', description: 'the tree size of the checkpoint cosigned' }) readonly treeSize!: number;
  @ApiProperty({ type: 'integer', description: 'cosignature lines kept by this request (0: all were kept already)' }) readonly added!: number;
  @ApiProperty({ type: [String], description: 'the witnesses (`<name>+<key ID>`) whose cosignatures the ledger holds for this checkpoint' }) readonly witnesses!: string[];
  @ApiProperty({ description: 'the checkpoint as GET /checkpoint serves it: the ledger\'s note and the latest cosignature of each witness' }) readonly note!: string;
}

/** The CommitmentSet that counts at K: its log position and event id. */
export class CommitmentSetAtDto {
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
}

/** A commitment of the committee as known at K, as recorded in the log (CommitmentSet). */
export class CommitmentDto {
  @ApiProperty({ example: 'funded-share' }) readonly commitmentId!: string;
  @ApiProperty({ type: 'integer', example: 2020 }) readonly year!: number;
  @ApiProperty({ enum: ['populations', 'awareness', 'funding', 'partnerships', 'international'] }) readonly lever!: string;
  @ApiProperty({ type: LabelsDto, description: "the committee's label, in each language" }) readonly label!: LabelsDto;
  @ApiProperty({ enum: ['at-least', 'growth-at-least'] }) readonly kind!: string;
  @ApiProperty({ example: 'funding.2020-12.funded-share', description: "the measured figure, {year} read as the commitment's year" }) readonly figure!: string;
  @ApiProperty({ example: 0.6, description: 'at-least: the level in the figure\'s unit; growth-at-least: the growth (+20 % is 0.2)' }) readonly target!: number;
  @ApiProperty({ type: CommitmentSetAtDto }) readonly setAt!: CommitmentSetAtDto;
}

/** `GET /commitments`: the commitments whose year begins in the period, as known at K; their figures are the report's `commitments.<id>.*`. */
export class CommitmentsResponse {
  @ApiProperty({ type: PeriodDto }) readonly period!: PeriodDto;
  @ApiProperty({ format: 'date-time' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer' }) readonly logPosition!: number;
  @ApiProperty({ type: [CommitmentDto] }) readonly commitments!: CommitmentDto[];
}
