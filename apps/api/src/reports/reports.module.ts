import { Module } from '@nestjs/common';
import { CommitmentsHttpController } from './commitments.http.controller';
import { FiguresHttpController } from './figures.http.controller';
import { ExportsModule } from './report-exports';
import { ReportsHttpController } from './reports.http.controller';

@Module({ imports: [ExportsModule], controllers: [ReportsHttpController, FiguresHttpController, CommitmentsHttpController] })
export class ReportsModule {}
