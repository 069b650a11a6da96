import { Module } from '@nestjs/common';
import { ExportsModule } from '../reports/report-exports';
import { PublicationsHttpController } from './publications.http.controller';

@Module({ imports: [ExportsModule], controllers: [PublicationsHttpController] })
export class PublicationsModule {}
