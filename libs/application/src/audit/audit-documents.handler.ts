import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { map } from 'rxjs';
import type { Observable } from 'rxjs';
import type { AuditFindings, AuditMetadata } from '@ledger/audit';
import { auditMarkdown, findingsDigest, SigningKeyMissingError } from '@ledger/audit';
import type { FigureSource } from '@ledger/projection-kit';
import { definitionsOf } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import type { Progressing } from '../progress';
import { LedgerKey } from '../checkpoints/ledger-key';
import type { AuditDocuments } from './audit-documents.query';
import { AuditDocumentsQuery } from './audit-documents.query';
import { AuditQuery } from './audit.query';
import { ledgerBuild } from './ledger-build';

/** The findings with their metadata first, as JSON, its SHA-256 and the Markdown that prints it. */
export function auditDocuments(findings: AuditFindings, metadata: AuditMetadata, figures: readonly FigureSource[], findingsFile: string): AuditDocuments {
  // `metadata` first in the JSON: who ran it, with what, how (the audit itself never sets it).
  const ordered: AuditFindings = { metadata, ...findings };
  const json = `${JSON.stringify(ordered, null, 2)}\n`;
  const sha256 = findingsDigest(json);
  const markdown = auditMarkdown(ordered, { maxDeclarations: 10_000, figures: definitionsOf(figures), findings: { file: findingsFile, sha256 } });
  return { findings: ordered, json, sha256, markdown };
}

@QueryHandler(AuditDocumentsQuery)
export class AuditDocumentsHandler implements IQueryHandler<AuditDocumentsQuery> {
  constructor(
    private readonly queries: QueryBus,
    private readonly key: LedgerKey,
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
  ) {}

  async execute(query: AuditDocumentsQuery): Promise<Observable<Progressing<AuditDocuments>>> {
    const audit = await this.queries.execute(new AuditQuery(query.request));
    const metadata: AuditMetadata = { auditedAt: query.request.now, ledger: ledgerBuild(), ...query.invocation, publicKey: await this.publicKey() };
    return audit.pipe(map((event) => (event.type === 'result' ? { type: 'result' as const, result: auditDocuments(event.result, metadata, this.sources, query.findingsFile) } : event)));
  }

  /** The ledger's key when it has one: an audit never makes one. */
  private async publicKey(): Promise<string | null> {
    try {
      return await this.key.verifierKey();
    } catch (error) {
      if (error instanceof SigningKeyMissingError) return null;
      throw error;
    }
  }
}
