import { Module } from '@nestjs/common';
import { CheckpointListHttpController, CheckpointsHttpController } from './checkpoints.http.controller';
import { PeriodicCheckpoints } from './periodic-checkpoints';

@Module({ controllers: [CheckpointsHttpController, CheckpointListHttpController], providers: [PeriodicCheckpoints], exports: [PeriodicCheckpoints] })
export class CheckpointsModule {}
