import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { WitnessHandler } from './witness.handler';

/** The witness alone: it runs on the auditor's side, with no ledger of its own to open. */
@Module({ imports: [CqrsModule.forRoot()], providers: [WitnessHandler] })
export class WitnessModule {}
