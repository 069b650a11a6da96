import { Injectable } from '@nestjs/common';
import { LedgerMetrics } from './metrics.registry';

/**
 * What `POST /events` did in this process, for `GET /metrics`: events appended, and how long
 * each request took to ingest (checks, append, durable commit). The append handler's view of
 * LedgerMetrics.
 */
@Injectable()
export class IngestMetrics {
  constructor(private readonly metrics: LedgerMetrics) {}

  /** One ingest request done (or refused) in `seconds`, having appended `appended` events. */
  observe(seconds: number, appended: number): void {
    this.metrics.observeIngest(seconds, appended);
  }
}
