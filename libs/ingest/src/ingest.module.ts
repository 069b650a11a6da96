import type { BeforeApplicationShutdown } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import type { Clock, EventStore } from '@ledger/store';
import { CLOCK, EVENT_STORE } from '@ledger/store';
import { EventIngestor } from './event-ingestor';
import { GroupCommitter } from './group-committer';

/**
 * Before the store closes (on its application shutdown), the group commits in flight finish
 * and are answered; a request that comes later is refused, not half stored.
 */
@Injectable()
class GroupCommitsDrain implements BeforeApplicationShutdown {
  constructor(private readonly committer: GroupCommitter) {}
  async beforeApplicationShutdown(): Promise<void> {
    await this.committer.close();
  }
}

/**
 * The ingest use cases. Every append goes through the group committer: concurrent HTTP
 * requests share one durable commit; a bulk import is one unit of its own.
 */
@Module({
  providers: [
    { provide: GroupCommitter, inject: [EVENT_STORE], useFactory: (store: EventStore) => new GroupCommitter(store) },
    {
      provide: EventIngestor,
      inject: [EVENT_STORE, CLOCK, GroupCommitter],
      useFactory: (store: EventStore, clock: Clock, committer: GroupCommitter) =>
        new EventIngestor(store, clock, (request) => committer.submit(request)),
    },
    GroupCommitsDrain,
  ],
  exports: [EventIngestor, GroupCommitter],
})
export class IngestModule {}
