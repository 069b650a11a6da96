import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { AuditFindings } from '@ledger/audit';
import { auditPeriod } from '@ledger/audit';
import { sealedPublications } from '@ledger/audit';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import type { Progressing } from '../progress';
import { progressing } from '../progress';
import type { TrustedCheckpoints } from './audit.query';
import { AuditQuery } from './audit.query';
import type { OpenedTrusted } from '@ledger/audit';
import { openTrusted } from '@ledger/audit';
import type { NoteVerifier } from '@ledger/integrity';
import { cosignatureVerifier, cosignatureVerifierKey, KeyFormatError, noteVerifier, parseVerifierKey, SIGNATURE_TYPE_ED25519 } from '@ledger/integrity';
import { LedgerKey } from '../checkpoints/ledger-key';
import { TrustedKeyError, UnknownPublicationError } from './unknown-publication.error';

/**
 * Not queued with the read models: an audit reads them, never writes them. A publication id
 * no seal names: UnknownPublicationError, at once; bad days or moments: RangeError, from the stream.
 */
@QueryHandler(AuditQuery)
export class AuditHandler implements IQueryHandler<AuditQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly key: LedgerKey,
  ) {}

  async execute(query: AuditQuery): Promise<Observable<Progressing<AuditFindings>>> {
    const { published, trusted: held, ...request } = query.request;
    const report = typeof published === 'string' ? await this.sealed(published) : published;
    const trusted = held ? await this.opened(held) : undefined;
    return progressing((onProgress) =>
      auditPeriod(this.store, this.states, this.sources, { ...request, ...(report ? { published: report } : {}), ...(trusted ? { trusted } : {}), onProgress }),
    );
  }

  /** The trusted checkpoints opened with the ledger's key; a key that cannot be read is bad input (RangeError), a bad checkpoint a finding. */
  private async opened(held: TrustedCheckpoints): Promise<OpenedTrusted[]> {
    const keyOf = (vkey: string, field: TrustedKeyError['field'], make: (vkey: string) => NoteVerifier): NoteVerifier => {
      try {
        return make(vkey);
      } catch (error) {
        if (error instanceof KeyFormatError) throw new TrustedKeyError(field, `${field} ${JSON.stringify(vkey.slice(0, 200))}: ${error.message}`);
        throw error;
      }
    };
    let logKey: NoteVerifier;
    if (held.logVkey !== undefined) logKey = keyOf(held.logVkey, 'logKey', noteVerifier);
    else {
      try {
        logKey = await this.key.verifier();
      } catch (error) {
        if (error instanceof RangeError) throw new TrustedKeyError('logKey', `no ledger key given to check the trusted checkpoints with, and ${error.message}`);
        throw error;
      }
    }
    const witnesses = (held.witnessVkeys ?? []).map((vkey) =>
      keyOf(vkey, 'witnessKeys', (v) => (parseVerifierKey(v).type === SIGNATURE_TYPE_ED25519 ? cosignatureVerifier(cosignatureVerifierKey(v)) : cosignatureVerifier(v))),
    );
    return openTrusted(held.checkpoints, logKey, witnesses);
  }

  private async sealed(publicationId: string): Promise<ReportDocument> {
    const sealed = (await sealedPublications(this.store)).find((p) => p.publicationId === publicationId);
    if (!sealed) throw new UnknownPublicationError(publicationId);
    return sealed.report;
  }
}
