import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEAD_LETTER_STATUSES, DeadLetterStatus } from './dead-letter.schema';

export class DeadLetterFilterDto {
  @IsOptional() @IsString() @MaxLength(100) service?: string;
  @IsOptional() @IsString() @MaxLength(100) eventType?: string;
  @IsOptional() @IsString() @MaxLength(100) reason?: string;
  @IsOptional() @IsIn(DEAD_LETTER_STATUSES) status?: DeadLetterStatus;
  @IsOptional() @IsString() @MaxLength(500) q?: string;
  @IsOptional() @IsISO8601() from?: string;
  @IsOptional() @IsISO8601() to?: string;
}

export class DeadLetterQueryDto extends DeadLetterFilterDto {
  @IsOptional() @IsUUID() groupId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class RetryDto {
  @IsOptional() @IsString() @MaxLength(1_000) reason?: string;
  /** Present: edit-and-retry with this as the event's new `data`. */
  @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class BulkRetryDto {
  @IsOptional() @ValidateNested() @Type(() => DeadLetterFilterDto) filter?: DeadLetterFilterDto;
  @IsOptional() @IsUUID() groupId?: string;
  @IsOptional() @IsNumber() @Min(0.1) @Max(1_000) ratePerSecond?: number;
  @IsOptional() @IsString() @MaxLength(1_000) reason?: string;
}

export class ArchiveDto {
  @IsString() @IsNotEmpty({ message: 'reason is required' }) @MaxLength(1_000) reason!: string;
}

export class GroupsQueryDto {
  @IsOptional() @IsIn(DEAD_LETTER_STATUSES) status?: DeadLetterStatus;
}

export class PageQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export function filterOf(dto: DeadLetterFilterDto & { groupId?: string }) {
  return {
    service: dto.service,
    eventType: dto.eventType,
    reason: dto.reason,
    status: dto.status,
    q: dto.q,
    from: dto.from ? new Date(dto.from) : undefined,
    to: dto.to ? new Date(dto.to) : undefined,
    groupId: dto.groupId,
  };
}
