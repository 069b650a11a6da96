import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** `GET /years`: a moment (default: now). */
export class YearsRequest {
  @ApiPropertyOptional({ description: 'RFC 3339 instant with an offset (default: now; not in the future)', example: '2021-03-15T00:00:00Z', format: 'date-time' })
  @IsOptional()
  @IsString()
  knownAt?: string;
}

/** `GET /provenance/events`: log positions (comma-separated, at most 200) and a moment. */
export class EventDetailsRequest extends YearsRequest {
  @ApiProperty({ description: 'log positions, comma-separated (at most 200): those a provenance lists', example: '12,40,41' })
  @IsString()
  positions!: string;
}

export class YearsResponse {
  @ApiProperty({ format: 'date-time' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer' }) readonly logPosition!: number;
  @ApiProperty({ type: [Number], description: 'the calendar years (UTC) of the events\' occurredAt, ascending' }) readonly years!: number[];
}

export class EventRetractionDto {
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty() readonly reason!: string;
  @ApiProperty({ description: 'recorded after knownAt: the event still counts as known then' }) readonly afterKnownAt!: boolean;
}

export class EventDetailDto {
  @ApiProperty({ type: 'integer' }) readonly position!: number;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty({ type: String, nullable: true }) readonly learnerId!: string | null;
  @ApiProperty() readonly occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the payload as recorded; null once erased' }) readonly data!: unknown;
  @ApiPropertyOptional({ description: 'the personal part was erased' }) readonly erased?: boolean;
  @ApiProperty({ type: EventRetractionDto, nullable: true }) readonly retraction!: EventRetractionDto | null;
}

export class EventDetailsResponse {
  @ApiProperty({ format: 'date-time' }) readonly knownAt!: string;
  @ApiProperty({ type: 'integer' }) readonly logPosition!: number;
  @ApiProperty({ type: [EventDetailDto] }) readonly events!: EventDetailDto[];
}
