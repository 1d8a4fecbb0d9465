import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { gatewayConfig } from './gateway.config';
import { PaymentGateway } from './payment-gateway';

/** The simulated payment provider; payments talks to it only through `PaymentGateway`. */
@Module({
  imports: [ConfigModule.forFeature(gatewayConfig)],
  providers: [PaymentGateway],
  exports: [PaymentGateway],
})
export class GatewayModule {}
