import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { publicationCheckpoint, publishReport } from '@ledger/audit';
import { computeReport } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { WrongExpectedRevisionError } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { LedgerKey } from '../checkpoints/ledger-key';
import { ReadModelsQueue } from '../read-models.queue';
import type { Published } from './publish.command';
import { PublicationExistsError, PublishCommand } from './publish.command';

/**
 * The report as `ReportQuery` gives it, then sealed in the log. Bad days or moments:
 * RangeError; a publication id used already: PublicationExistsError, a WrongExpectedRevisionError
 * naming it (a corrected report is a new publication); a log that does not verify: PublicationRefusedError.
 * It signs the checkpoint of the sealed tree (not kept: every proof bundle against the
 * publication signs the same bytes again), making the key file when missing.
 */
@CommandHandler(PublishCommand)
export class PublishHandler implements ICommandHandler<PublishCommand> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
    private readonly key: LedgerKey,
  ) {}

  async execute(command: PublishCommand): Promise<Published> {
    const { publicationId: asked, eventId, ...request } = command.request;
    // The key first: a key file that cannot be read refuses the publication before anything is stored.
    const signer = await this.key.signer();
    const report = await this.queue.run(() => computeReport(this.store, this.states, this.sources, request));
    const publicationId = asked ?? `report-${report.period.from}-${report.period.to}-known-at-${report.knownAt}`;
    try {
      const { appended, seal } = await publishReport(this.store, report, { publicationId, eventId, occurredAt: request.now });
      const checkpoint = publicationCheckpoint(signer, seal, { publicationId, eventId: appended.eventId, position: appended.position });
      return { publicationId, appended, seal, report, checkpoint, publicKey: signer.verifierKey() };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new PublicationExistsError(publicationId, error);
      throw error;
    }
  }
}
