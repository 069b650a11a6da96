import { Query } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { LogVerification } from '@ledger/audit';
import type { Progressing } from '../progress';

/** The whole log checked (positions, leaf hashes, hash chain, recordedAt, revisions): progress, then the verification. */
export class VerifyQuery extends Query<Observable<Progressing<LogVerification>>> {}
