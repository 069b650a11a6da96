import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** Serves the committee's dashboard (apps/api/public) at `/` and `/assets/*`. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
