import { Module } from '@nestjs/common';
import { HistoryHttpController } from './history.http.controller';

@Module({ controllers: [HistoryHttpController] })
export class HistoryModule {}
