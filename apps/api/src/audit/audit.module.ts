import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { AuditsHttpController } from './audits.http.controller';
import { ProofsHttpController } from './proofs.http.controller';

@Module({ imports: [JobsModule], controllers: [AuditsHttpController, ProofsHttpController] })
export class AuditModule {}
