import { Injectable, OnModuleInit } from '@nestjs/common';
import { deadLetterQueues, RMQ_OPTIONS, RmqOptions, wholeTopology } from '@shop/rmq';
import { Inject } from '@nestjs/common';
import { DeadLetterStore } from './dead-letter-store';
import { deadLettersUnresolved } from './dead-letters.metrics';

/** Reads the unresolved count per service from the database at every scrape: never drifts. */
@Injectable()
export class UnresolvedGauge implements OnModuleInit {
  constructor(
    private readonly store: DeadLetterStore,
    @Inject(RMQ_OPTIONS) private readonly options: RmqOptions,
  ) {}

  onModuleInit(): void {
    const services = deadLetterQueues(wholeTopology(this.options)).map((each) => each.service);
    const store = this.store;
    Object.assign(deadLettersUnresolved, {
      async collect(this: typeof deadLettersUnresolved) {
        const counts = await store.countUnresolvedByService().catch(() => undefined);
        if (!counts) return;
        for (const service of services) {
          this.set({ service }, counts.find((row) => row.service === service)?.count ?? 0);
        }
      },
    });
  }
}
