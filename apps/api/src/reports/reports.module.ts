import { Module } from '@nestjs/common';
import { ReportsHttpController } from './reports.http.controller';

@Module({ controllers: [ReportsHttpController] })
export class ReportsModule {}
