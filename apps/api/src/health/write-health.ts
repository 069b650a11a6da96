import { CallHandler, ExecutionContext, Global, Inject, Injectable, Module } from '@nestjs/common';
import type { NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import type { StoreFailureKind } from '@ledger/store';
import { storeFailureOf } from '@ledger/store';

/** The last write the ledger's store refused, as `/health` shows it. */
export interface WriteError {
  readonly kind: StoreFailureKind;
  readonly message: string;
  /** The API clock's reading when it was refused. */
  readonly at: string;
}

/**
 * Whether the ledger can be written, as far as the last write showed: a store that reads
 * fine can still refuse every write (a full disk, a read-only file), and `/health` must say
 * so. Set by a refused write, cleared by the next one that succeeds.
 */
@Injectable()
export class WriteHealth {
  private last: WriteError | undefined;

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  get lastWriteError(): WriteError | undefined {
    return this.last;
  }

  failed(error: unknown): void {
    const failure = storeFailureOf(error);
    if (failure) this.last = { kind: failure.kind, message: failure.message, at: this.clock().toISOString() };
  }

  succeeded(): void {
    this.last = undefined;
  }
}

/** On the routes that append to the ledger: tells WriteHealth how each append went. */
@Injectable()
export class LedgerWritesInterceptor implements NestInterceptor {
  constructor(private readonly health: WriteHealth) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap({
        next: () => this.health.succeeded(),
        error: (error: unknown) => this.health.failed(error),
      }),
    );
  }
}

/** WriteHealth, one for the application: the append routes set it, `/health` reads it. */
@Global()
@Module({ providers: [WriteHealth, LedgerWritesInterceptor], exports: [WriteHealth, LedgerWritesInterceptor] })
export class WriteHealthModule {}
