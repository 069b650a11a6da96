import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { LedgerEnvironment } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApplicationModule } from '@ledger/application';
import type { FigureSource } from '@ledger/projection-kit';
import { FigureRegistryModule } from '@ledger/projection-runtime';
import { ProjectionsModule } from '@ledger/projection-runtime';
import type { Clock, EventStore } from '@ledger/store';
import type { EventStoreModuleOptions } from '@ledger/store';
import { EventStoreModule } from '@ledger/store';
import { FIGURE_SOURCES } from '@ledger/projections';
import { AuditModule } from './audit/audit.module';
import { CheckpointsModule } from './checkpoints/checkpoints.module';
import type { AuthModuleOptions } from './auth/auth.module';
import { AuthModule } from './auth/auth.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventsRejectedFilter } from './events/events-rejected.filter';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { WriteHealthModule } from './health/write-health';
import { apiValidationPipe } from './http/bad-request';
import { throttlerOptions } from './http/rate-limit';
import { StoreFailureFilter } from './http/store-failure.filter';
import { JobsModule } from './jobs/jobs.module';
import { LearnersModule } from './learners/learners.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PublicationsModule } from './publications/publications.module';
import { ReportsModule } from './reports/reports.module';

/** Where the API keeps what it keeps; each defaults to its environment variable (libs/config: LEDGER_DB, READ_MODELS_DB, API_KEYS_DB, API_AUDIT_LOG). */
export interface ApiOptions extends Omit<EventStoreModuleOptions, 'create'>, AuthModuleOptions {
  /** Projection states (READ_MODELS_DB, default ./data/read-models.db). */
  readonly readModelsDb?: string;
  /** Opens the store instead of `ledgerDb`: one no connection string can name (the tests' KurrentDB stand-in). */
  readonly openStore?: (clock: Clock) => Promise<EventStore>;
  /** The environment, already validated; default: process.env, validated by LedgerConfigModule when the API is built. */
  readonly environment?: LedgerEnvironment;
  /** The figure families reported on (default: projections/figures.ts's): a test registers one more. */
  readonly figures?: readonly FigureSource[];
}

@Module({})
export class AppModule {
  /** `config`: LedgerConfigModule, loaded (and the environment validated) by createApp. */
  static forRoot(options: ApiOptions, config: DynamicModule): DynamicModule {
    return {
      module: AppModule,
      imports: [
        config,
        LoggingModule,
        ThrottlerModule.forRootAsync({
          inject: [LEDGER_ENVIRONMENT],
          useFactory: (environment: LedgerEnvironment) =>
            throttlerOptions({ limit: environment.API_RATE_LIMIT, windowSeconds: environment.API_RATE_WINDOW_SECONDS }),
        }),
        WriteHealthModule,
        EventStoreModule.forRoot(options),
        FigureRegistryModule.forRoot(options.figures ?? FIGURE_SOURCES),
        ProjectionsModule.forRoot(options.readModelsDb !== undefined ? { readModelsDb: options.readModelsDb } : {}),
        AuthModule.forRoot(options),
        // The use cases, append and import included; the controllers dispatch to them.
        ApplicationModule.forRoot({ ingest: true }),
        EventsModule,
        MetricsModule,
        HealthModule,
        ReportsModule,
        HistoryModule,
        PublicationsModule,
        LearnersModule,
        JobsModule,
        AuditModule,
        CheckpointsModule,
        DashboardModule.forRoot(),
      ],
      providers: [
        // Filters run last-registered first: the specific one must come after the catch-all
        // (store failures, then body-parser refusals, then Nest's own handling).
        { provide: APP_FILTER, useClass: StoreFailureFilter },
        { provide: APP_FILTER, useClass: EventsRejectedFilter },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
      ],
    };
  }
}
