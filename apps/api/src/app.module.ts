import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import type { EventStoreModuleOptions } from '../../../libs/store/src/event-store.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';
import { AuditModule } from './audit/audit.module';
import type { AuthModuleOptions } from './auth/auth.module';
import { AuthModule } from './auth/auth.module';
import { BodyParserErrorsFilter } from './body-parser-errors.filter';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventsRejectedFilter } from './events/events-rejected.filter';
import { EventsModule } from './events/events.module';
import { apiValidationPipe } from './http/bad-request';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { PublicationsModule } from './publications/publications.module';
import { ReadModelsModule } from './read-models/read-models.queue';
import { ReportsModule } from './reports/reports.module';

/** Where the API keeps what it keeps; each defaults to its environment variable, then a file under ./data. */
export interface ApiOptions extends Omit<EventStoreModuleOptions, 'create'>, AuthModuleOptions {
  /** Projection states (READ_MODELS_DB, default ./data/read-models.db). */
  readonly readModelsDb?: string;
}

@Module({})
export class AppModule {
  static forRoot(options: ApiOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(options),
        ProjectionsModule.forRoot(options.readModelsDb !== undefined ? { readModelsDb: options.readModelsDb } : {}),
        AuthModule.forRoot(options),
        ReadModelsModule,
        EventsModule,
        MetricsModule,
        ReportsModule,
        PublicationsModule,
        JobsModule,
        AuditModule,
        DashboardModule,
      ],
      providers: [
        // Filters run last-registered first: the specific one must come after the catch-all.
        { provide: APP_FILTER, useClass: BodyParserErrorsFilter },
        { provide: APP_FILTER, useClass: EventsRejectedFilter },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
      ],
    };
  }
}
