import { Module } from '@nestjs/common';
import { CommitmentsHttpController } from './commitments.http.controller';
import { FiguresHttpController } from './figures.http.controller';
import { ReportsHttpController } from './reports.http.controller';

@Module({ controllers: [ReportsHttpController, FiguresHttpController, CommitmentsHttpController] })
export class ReportsModule {}
