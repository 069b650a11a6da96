import { Controller, Get, Header, Inject } from '@nestjs/common';
import { GroupCommitter } from '../../../../libs/ingest/src/group-committer';
import type { EventStore } from '../../../../libs/store/src/event-store.port';
import { EVENT_STORE } from '../../../../libs/store/src/event-store.module';

/** `GET /metrics`: Prometheus text exposition of the ledger's counters. */
@Controller('metrics')
export class MetricsHttpController {
  constructor(
    private readonly committer: GroupCommitter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  async metrics(): Promise<string> {
    const { commits, requests } = this.committer.stats();
    const head = await this.store.head();
    return [
      '# HELP ledger_log_position Position of the last event of the log.',
      '# TYPE ledger_log_position gauge',
      `ledger_log_position ${head.position}`,
      '# HELP ledger_group_commits_total Durable commits made by the group committer.',
      '# TYPE ledger_group_commits_total counter',
      `ledger_group_commits_total ${commits}`,
      '# HELP ledger_group_commit_requests_total Append requests answered by those commits.',
      '# TYPE ledger_group_commit_requests_total counter',
      `ledger_group_commit_requests_total ${requests}`,
      '',
    ].join('\n');
  }
}
