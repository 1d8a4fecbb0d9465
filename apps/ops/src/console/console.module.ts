import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The web console at `GET /` (docs/architecture.md, "Design choices"). */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
