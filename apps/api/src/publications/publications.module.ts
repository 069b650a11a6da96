import { Module } from '@nestjs/common';
import { PublicationsHttpController } from './publications.http.controller';

@Module({ controllers: [PublicationsHttpController] })
export class PublicationsModule {}
