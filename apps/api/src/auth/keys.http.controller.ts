import { Body, Controller, Delete, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import type { ApiKey, ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE, ROLES } from '@ledger/auth';
import { createApiKey, KeyRequestError } from '@ledger/auth';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { fieldError } from '../http/bad-request';
import { Roles } from './roles.decorator';

export class CreateKeyRequest {
  @ApiProperty({ description: 'who holds the key (1 to 100 characters)', example: 'finance committee' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: string;
}

const KEY_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** The keys, for an admin: the same as `ledger keys create|list|revoke` (docs/api.md). */
@ApiTags('keys')
@Controller('keys')
@Roles('admin')
export class KeysHttpController {
  constructor(
    @Inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every key, revoked ones too; never a secret (admin)' })
  @ApiOkResponse({ schema: { type: 'array', items: KEY_SCHEMA } })
  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  @Post()
  @ApiOperation({ summary: 'A new key: `key` is in this answer only, the ledger keeps its hash (admin)' })
  @ApiCreatedResponse({ schema: { ...KEY_SCHEMA, properties: { ...KEY_SCHEMA.properties, key: { type: 'string', example: 'lk_0123456789abcdef_...' } } } })
  async create(@Body() body: CreateKeyRequest): Promise<ApiKey & { key: string }> {
    try {
      const { key, apiKey } = await createApiKey(this.keys, body, this.clock());
      return { ...apiKey, key };
    } catch (error) {
      if (error instanceof KeyRequestError) throw fieldError(error.field, error.message);
      throw error;
    }
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key: refused from the next request on (admin)' })
  @ApiOkResponse({ schema: KEY_SCHEMA })
  async revoke(@Param('id') id: string): Promise<ApiKey> {
    const key = await this.keys.revoke(id, this.clock().toISOString());
    if (!key) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no key with id ${JSON.stringify(id)}`, field: 'id' });
    return key;
  }
}
