import { Injectable } from '@nestjs/common';

/** Upper bounds (seconds) of the ingest latency histogram's buckets. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * What `POST /events` did in this process, for `GET /metrics`: events appended, and how long
 * each request took to ingest (checks, append, durable commit), as a Prometheus histogram.
 */
@Injectable()
export class IngestMetrics {
  private appended = 0;
  private readonly counts = BUCKETS.map(() => 0);
  private observed = 0;
  private sum = 0;

  /** One ingest request done (or refused) in `seconds`, having appended `appended` events. */
  observe(seconds: number, appended: number): void {
    this.appended += appended;
    this.observed += 1;
    this.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }

  /** The Prometheus text exposition lines. */
  exposition(): string[] {
    return [
      '# HELP ledger_events_appended_total Events appended to the log through POST /events by this process.',
      '# TYPE ledger_events_appended_total counter',
      `ledger_events_appended_total ${this.appended}`,
      '# HELP ledger_ingest_duration_seconds Time to check, append and durably commit one POST /events request.',
      '# TYPE ledger_ingest_duration_seconds histogram',
      ...BUCKETS.map((bound, i) => `ledger_ingest_duration_seconds_bucket{le="${bound}"} ${this.counts[i] ?? 0}`),
      `ledger_ingest_duration_seconds_bucket{le="+Inf"} ${this.observed}`,
      `ledger_ingest_duration_seconds_sum ${this.sum}`,
      `ledger_ingest_duration_seconds_count ${this.observed}`,
    ];
  }
}
