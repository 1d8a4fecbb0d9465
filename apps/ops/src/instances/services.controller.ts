import { Controller, Get } from '@nestjs/common';
import { Instances } from './instances';

/** `GET /api/services`: every instance that sent a heartbeat, `missing` once silent too long. */
@Controller('api/services')
export class ServicesController {
  constructor(private readonly instances: Instances) {}

  @Get()
  list() {
    return { items: this.instances.list() };
  }
}
