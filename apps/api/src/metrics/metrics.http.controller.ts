import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { GroupCommitter } from '@ledger/ingest';
import { ReadModelsNotices } from '@ledger/projection-kit';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { IngestMetrics } from './ingest-metrics';
import { ProjectionLag } from './projection-lag';

/** `GET /metrics`: Prometheus text exposition of the ledger's counters. */
@ApiTags('operations')
@Controller('metrics')
@Roles(...AUDITORS)
export class MetricsHttpController {
  constructor(
    private readonly committer: GroupCommitter,
    private readonly ingest: IngestMetrics,
    private readonly lag: ProjectionLag,
    private readonly notices: ReadModelsNotices,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus text: events appended, ingest latency, group commits, projection lag, read models discarded (auditor, admin)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  async metrics(): Promise<string> {
    const { commits, requests } = this.committer.stats();
    const head = await this.store.head();
    const projections = await this.lag.behind(head.position);
    return [
      '# HELP ledger_log_position Position of the last event of the log.',
      '# TYPE ledger_log_position gauge',
      `ledger_log_position ${head.position}`,
      ...this.ingest.exposition(),
      '# HELP ledger_group_commits_total Durable commits made by the group committer.',
      '# TYPE ledger_group_commits_total counter',
      `ledger_group_commits_total ${commits}`,
      '# HELP ledger_group_commit_requests_total Append requests answered by those commits.',
      '# TYPE ledger_group_commit_requests_total counter',
      `ledger_group_commit_requests_total ${requests}`,
      '# HELP ledger_projection_lag_events Events of the log a read model has not folded in yet (a report folds them in first).',
      '# TYPE ledger_projection_lag_events gauge',
      ...projections.map((p) => `ledger_projection_lag_events{projection="${p.name}"} ${p.lag}`),
      '# HELP ledger_read_models_discarded_total Times stored read models were not used as they were and were rebuilt from position 0, by reason: another-log, log-truncated, log-rewritten, unbound (no log recorded), damaged-file (set aside).',
      '# TYPE ledger_read_models_discarded_total counter',
      ...[...this.notices.discarded()].map(([reason, count]) => `ledger_read_models_discarded_total{reason="${reason}"} ${count}`),
      '',
    ].join('\n');
  }
}
