import { Module } from '@nestjs/common';
import { LearnersHttpController } from './learners.http.controller';

@Module({ controllers: [LearnersHttpController] })
export class LearnersModule {}
