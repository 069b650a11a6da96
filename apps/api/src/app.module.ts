import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStoreModuleOptions } from '../../../libs/store/src/event-store.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';
import { BodyParserErrorsFilter } from './body-parser-errors.filter';
import { EventsRejectedFilter } from './events/events-rejected.filter';
import { EventsModule } from './events/events.module';

@Module({})
export class AppModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(options), EventsModule],
      // Filters run last-registered first: the specific one must come after the catch-all.
      providers: [
        { provide: APP_FILTER, useClass: BodyParserErrorsFilter },
        { provide: APP_FILTER, useClass: EventsRejectedFilter },
      ],
    };
  }
}
