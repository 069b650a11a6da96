import { Module } from '@nestjs/common';
import { FiguresHttpController } from './figures.http.controller';
import { ReportsHttpController } from './reports.http.controller';

@Module({ controllers: [ReportsHttpController, FiguresHttpController] })
export class ReportsModule {}
