import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { LogVerification } from '@ledger/audit';
import { verifyLog } from '@ledger/audit';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { Progressing } from '../progress';
import { progressing } from '../progress';
import { VerifyQuery } from './verify.query';

/** One phase, `verifying`, of as many events as the log holds; the log is read when the result is subscribed to. */
@QueryHandler(VerifyQuery)
export class VerifyHandler implements IQueryHandler<VerifyQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<Observable<Progressing<LogVerification>>> {
    return progressing(async (progress) => {
      const head = (await this.store.head()).position;
      progress('verifying', 0, head);
      return verifyLog(this.store, { onProgress: (checked) => progress('verifying', checked, head) });
    });
  }
}
