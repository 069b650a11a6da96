import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { LISTED_ERRORS } from '@ledger/ingest';

/** One thing wrong with a request, named by the field (query parameter, path parameter or body property). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** 400 `{ statusCode, error, message, field, errors, errorCount }`: what was wrong, and where (the first 100 problems). */
export function badRequest(problems: readonly FieldProblem[]): BadRequestException {
  const listed = problems.slice(0, LISTED_ERRORS);
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: listed.map((p) => p.message).join('; '),
    field: problems[0]?.field,
    errors: listed,
    errorCount: problems.length,
  });
}

export function fieldError(field: string, message: string): BadRequestException {
  return badRequest([{ field, message }]);
}

function problemsOf(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...problemsOf(error.children ?? [], field)];
  });
}

/**
 * Query and body DTOs checked by class-validator: unknown properties are refused (a typo in
 * a parameter name must not be silently ignored), and each error names its field.
 */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => badRequest(problemsOf(errors)),
  });
}
