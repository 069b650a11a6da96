import { Module } from '@nestjs/common';
import { CheckpointsHttpController } from './checkpoints.http.controller';
import { PeriodicCheckpoints } from './periodic-checkpoints';

@Module({ controllers: [CheckpointsHttpController], providers: [PeriodicCheckpoints], exports: [PeriodicCheckpoints] })
export class CheckpointsModule {}
