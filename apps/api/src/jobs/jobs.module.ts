import { Module } from '@nestjs/common';
import { JobsHttpController } from './jobs.http.controller';
import { JobsService } from './jobs.service';
import { RebuildsHttpController } from './rebuilds.http.controller';

@Module({
  controllers: [JobsHttpController, RebuildsHttpController],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
