import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { GroupCommitter } from '@ledger/ingest';
import { ReadModelsNotices } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { ProjectionLag } from './projection-lag';

/** Upper bounds (seconds) of the latency histograms' buckets: a millisecond to ten seconds. */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Upper bounds of the commit-size histogram: events per durable commit, up to a bulk batch. */
const EVENTS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/**
 * The ledger's Prometheus metrics (prom-client), in a registry of this application's own: the
 * tests build several applications in one process, and the library's global registry refuses a
 * metric registered twice. Values kept elsewhere (the log's head, the group committer's totals,
 * the read models' lag and discards) are read when `/metrics` is scraped (`collect`), so they
 * are never stale and cost nothing between scrapes. Every name that existed before prom-client
 * is kept (docs/api.md).
 */
@Injectable()
export class LedgerMetrics implements OnModuleInit {
  readonly registry = new Registry();

  /** `POST /events`: events appended by this process. */
  readonly eventsAppended = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events appended to the log through POST /events by this process.',
    registers: [this.registry],
  });

  /** `POST /events`: time to check, append and durably commit one request, refused ones included. */
  readonly ingestDuration = new Histogram({
    name: 'ledger_ingest_duration_seconds',
    help: 'Time to check, append and durably commit one POST /events request.',
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** Every HTTP request, by route template (not the path: ids would make a series each), method and status. */
  readonly httpDuration = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template (unmatched: no route) and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** Events per durable commit of the group committer. */
  readonly commitSize = new Histogram({
    name: 'ledger_group_commit_events',
    help: 'Events carried by one durable commit of the group committer (all the requests it answered).',
    buckets: EVENTS,
    registers: [this.registry],
  });

  constructor(
    private readonly committer: GroupCommitter,
    lag: ProjectionLag,
    notices: ReadModelsNotices,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Inside `collect`, `this` is the metric: the sources are the constructor's parameters.
    new Gauge({
      name: 'ledger_log_position',
      help: 'Position of the last event of the log.',
      registers: [this.registry],
      async collect() {
        this.set((await store.head()).position);
      },
    });
    // Totals the committer keeps: a counter's value is set from them at each scrape.
    new Counter({
      name: 'ledger_group_commits_total',
      help: 'Durable commits made by the group committer.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(committer.stats().commits);
      },
    });
    new Counter({
      name: 'ledger_group_commit_requests_total',
      help: 'Append requests answered by those commits.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(committer.stats().requests);
      },
    });
    new Gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events of the log a read model has not folded in yet (a report folds them in first).',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { name, lag: behind } of await lag.behind((await store.head()).position)) this.set({ projection: name }, behind);
      },
    });
    new Counter({
      name: 'ledger_read_models_discarded_total',
      help:
        'Times stored read models were not used as they were and were rebuilt from position 0, by reason: ' +
        'another-log, log-truncated, log-rewritten, unbound (no log recorded), damaged-file (set aside).',
      labelNames: ['reason'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, count] of notices.discarded()) this.inc({ reason }, count);
      },
    });
  }

  onModuleInit(): void {
    this.committer.onCommit(({ events }) => this.commitSize.observe(events));
  }

  /** One ingest request done (or refused) in `seconds`, having appended `appended` events. */
  observeIngest(seconds: number, appended: number): void {
    this.eventsAppended.inc(appended);
    this.ingestDuration.observe(seconds);
  }
}
