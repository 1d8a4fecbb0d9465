import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MESSAGING_FAULTS } from '@shop/rmq';
import { AdminFaultsController } from './admin-faults.controller';
import { FaultSwitches } from './fault-switches';
import { FAULTS_SETTINGS, faultsConfig, faultsSettings } from './faults.config';

/** Run-time fault switches (docs/workshop/), global so the transport and payments find them. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(faultsConfig)],
  controllers: [AdminFaultsController],
  providers: [
    FaultSwitches,
    { provide: MESSAGING_FAULTS, useExisting: FaultSwitches },
    {
      provide: FAULTS_SETTINGS,
      inject: [faultsConfig.KEY],
      useFactory: faultsSettings,
    },
  ],
  exports: [FaultSwitches, MESSAGING_FAULTS, FAULTS_SETTINGS],
})
export class FaultsModule {}
