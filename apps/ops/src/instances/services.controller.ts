import { Controller, Get } from '@nestjs/common';
import { OpsApi } from '../auth/ops-api.decorator';
import { InstancesResponse } from './instance.response';
import { Instances } from './instances';

/** `GET /api/services`: every instance that sent a heartbeat, `missing` once silent too long. */
@OpsApi()
@Controller('api/services')
export class ServicesController {
  constructor(private readonly instances: Instances) {}

  @Get()
  list(): InstancesResponse {
    return { items: this.instances.list() };
  }
}
