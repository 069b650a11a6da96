import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKey } from '@ledger/auth';
import { ROLES } from '@ledger/auth';
import { CallerKey } from './authenticated-request';
import { Roles } from './roles.decorator';

@ApiTags('keys')
@Controller('me')
export class MeHttpController {
  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who the credential is: its name and role (any role)' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } },
    },
  })
  me(@CallerKey() key: ApiKey): { id: string; name: string; role: ApiKey['role'] } {
    return { id: key.id, name: key.name, role: key.role };
  }
}
