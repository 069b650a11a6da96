import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditHandler } from './audit/audit.handler';
import { AuditDocumentsHandler } from './audit/audit-documents.handler';
import { ChangesHandler } from './changes/changes.handler';
import { CommitmentsHandler } from './commitments/commitments.handler';
import { FigureCatalogueHandler } from './catalogue/figure-catalogue.handler';
import { EraseLearnerHandler } from './erase/erase-learner.handler';
import { CHECKPOINT_USE_CASES } from './checkpoints/checkpoint-use-cases';
import { ExplainHandler } from './explain/explain.handler';
import { EventDetailsHandler, LogYearsHandler } from './history/history.handler';
import { ProofAtHandler, ProofHandler } from './proof/proof.handler';
import { PublicationHandler } from './publish/publication.handler';
import { PublishHandler } from './publish/publish.handler';
import { ReadModelsQueue } from './read-models.queue';
import { RebuildHandler } from './rebuild/rebuild.handler';
import { DescribedReportHandler } from './report/described-report.handler';
import { ReportHandler } from './report/report.handler';
import { VerifyHandler } from './verify/verify.handler';

/**
 * The use cases, one handler each, dispatched by the QueryBus and the CommandBus: the CLI
 * and the HTTP API only parse input, dispatch, and format the answer. The store
 * (EventStoreModule) and the read models (ProjectionsModule) come from the shell.
 */
@Module({})
export class ApplicationModule {
  /**
   * With `ingest`, append and import too, whose code (validation, workers, group committer)
   * is loaded only then: a reading command does not pay for it.
   */
  static async forRoot(options: { readonly ingest?: boolean } = {}): Promise<DynamicModule> {
    const ingest = options.ingest === true ? [(await import('./ingest-use-cases.module')).IngestUseCasesModule] : [];
    return {
      module: ApplicationModule,
      imports: [CqrsModule.forRoot(), ...ingest],
      providers: [
        ReadModelsQueue,
        ReportHandler,
        DescribedReportHandler,
        CommitmentsHandler,
        FigureCatalogueHandler,
        ExplainHandler,
        ChangesHandler,
        LogYearsHandler,
        EventDetailsHandler,
        AuditHandler,
        AuditDocumentsHandler,
        ProofHandler,
        ProofAtHandler,
        VerifyHandler,
        PublishHandler,
        PublicationHandler,
        RebuildHandler,
        EraseLearnerHandler,
        ...CHECKPOINT_USE_CASES,
      ],
      exports: [ReadModelsQueue],
    };
  }
}
