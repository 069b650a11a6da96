import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { ApiKeyStore, Role } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { authenticate } from '@ledger/auth';
import type { AuthenticatedRequest } from './authenticated-request';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/** The credential of a request: `Authorization: Bearer <key>`, or `X-Api-Key: <key>`. */
function credentialOf(request: AuthenticatedRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? '';
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/**
 * Every route needs a credential unless it is `@Public()`: no credential, or one that is
 * not a valid key (unknown, malformed, revoked), is 401; a key whose role the route's
 * `@Roles(...)` does not name is 403. A route that names no roles is refused to everyone.
 * Registered as APP_GUARD, so a new controller is closed until it says who may call it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = credentialOf(request);
    if (credential === undefined || credential === '') {
      throw unauthorized(context, 'a credential is needed: Authorization: Bearer <key> (or X-Api-Key: <key>)');
    }
    const key = await authenticate(this.keys, credential);
    if (!key) throw unauthorized(context, 'the credential is not a valid key (unknown, malformed or revoked)');
    request.apiKey = key;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(key.role)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `role ${key.role} may not ${request.method} ${request.path}${roles.length > 0 ? ` (roles allowed: ${roles.join(', ')})` : ''}`,
      });
    }
    return true;
  }
}

function unauthorized(context: ExecutionContext, message: string): UnauthorizedException {
  context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="impact-ledger"');
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}
