import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKey } from '@ledger/auth';

/** A request once the guard has let it through: the key that made it (absent on a public route). */
export interface AuthenticatedRequest extends Request {
  apiKey?: ApiKey;
}

/** The key that made the request, in a handler of a route that needs one. */
export const CallerKey = createParamDecorator((_: unknown, context: ExecutionContext): ApiKey => {
  const key = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  if (!key) throw new Error('CallerKey on a route without a credential'); // a public route asking who called: a bug
  return key;
});
