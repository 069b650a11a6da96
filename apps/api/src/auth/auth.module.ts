import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE, DEFAULT_API_KEYS_DB } from '@ledger/auth';
import { SqliteApiKeyStore } from '@ledger/auth';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { ApiKeyThrottlerGuard } from '../http/rate-limit';
import { DEFAULT_API_AUDIT_LOG, RequestLog } from '../request-log/request-log';
import { ApiKeyGuard } from './api-key.guard';
import { KeysHttpController } from './keys.http.controller';
import { MeHttpController } from './me.http.controller';

export interface AuthModuleOptions {
  /** SQLite file of the API keys; default API_KEYS_DB, then ./data/api-keys.db. */
  readonly apiKeysDb?: string;
  /** JSON-lines file of the requests that change something; default API_AUDIT_LOG, then ./data/api-requests.log. */
  readonly requestLog?: string;
}

@Injectable()
class AuthCloser implements OnApplicationShutdown {
  constructor(
    @Inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    private readonly log: RequestLog,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
    this.log.close();
  }
}

/** Who is calling (API keys, the global guard) and the log of who changed what. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      controllers: [MeHttpController, KeysHttpController],
      providers: [
        { provide: API_KEY_STORE, useFactory: () => new SqliteApiKeyStore(options.apiKeysDb ?? process.env.API_KEYS_DB ?? DEFAULT_API_KEYS_DB) },
        {
          provide: RequestLog,
          inject: [CLOCK],
          useFactory: (clock: Clock) => new RequestLog(options.requestLog ?? process.env.API_AUDIT_LOG ?? DEFAULT_API_AUDIT_LOG, clock),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        // After ApiKeyGuard, which it needs to have named the key: guards run in this order.
        { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
        AuthCloser,
      ],
      exports: [API_KEY_STORE, RequestLog],
    };
  }
}
