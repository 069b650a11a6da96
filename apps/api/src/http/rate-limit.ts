import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/authenticated-request';

/**
 * Requests per window and per key (API_RATE_LIMIT; 0: no limit), and the window
 * (API_RATE_WINDOW_SECONDS), from the validated environment (libs/config). The default limit is
 * far above what one client of the ledger needs (an ingest client posting single events as fast
 * as group commit takes them does not reach it: the HTTP benchmark posts 20,000 in well under a
 * minute): it stops a runaway loop, not a busy sender.
 */
export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Counts per key and fixed window, in constant time per request. The library's in-memory
 * storage keeps one timestamp per request of the window and filters them all at each
 * request: with a limit in the tens of thousands that is quadratic.
 */
export class FixedWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, { endsAt: number; hits: number }>();
  private sinceSweep = 0;

  async increment(key: string, ttl: number, limit: number): Promise<{ totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }> {
    const now = performance.now();
    if ((this.sinceSweep += 1) >= 10_000) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + ttl, hits: 0 };
      this.windows.set(key, window);
    }
    window.hits += 1;
    const timeToExpire = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  private sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

export function throttlerOptions(rate: RateLimit): ThrottlerModuleOptions {
  return {
    throttlers: [{ limit: Math.max(1, rate.limit), ttl: rate.windowSeconds * 1000 }],
    skipIf: () => rate.limit === 0,
    storage: new FixedWindowStorage(),
    // One budget per key for every route (the library's default is one per route).
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
  };
}

/**
 * The throttler, per API key: a request with a valid key counts against that key, whatever
 * its address (several clients may share one key and one budget); a public route (health,
 * the OpenAPI pages, the dashboard) counts against the caller's address. It runs after
 * ApiKeyGuard (registered right after it), so the key is known; a refused credential is
 * never counted against the key it names.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const key = (request as unknown as AuthenticatedRequest).apiKey;
    return key ? `key:${key.id}` : `address:${String((request as unknown as AuthenticatedRequest).ip)}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message:
          `more than ${detail.limit} requests in ${detail.ttl / 1000} s for this ${detail.tracker.startsWith('key:') ? 'key' : 'address'} ` +
          `(API_RATE_LIMIT, API_RATE_WINDOW_SECONDS): try again in ${detail.timeToBlockExpire} s; nothing of this request was stored`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
