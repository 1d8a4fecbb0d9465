import { Module } from '@nestjs/common';
import { Instances } from './instances';
import { ServicesController } from './services.controller';

@Module({
  controllers: [ServicesController],
  providers: [Instances],
})
export class InstancesModule {}
