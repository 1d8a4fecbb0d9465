import { Counter, Gauge } from 'prom-client';

export const faultsActive = new Gauge({
  name: 'shop_faults_active',
  help: 'Faults switched on at run time (/admin/faults): 1 while on, per fault',
  labelNames: ['fault'],
});

export const faultsInjected = new Counter({
  name: 'shop_faults_injected_total',
  help: 'Times a fault switched on at run time fired',
  labelNames: ['fault', 'event_type'],
});

export const FAULT_NAMES = [
  'handlerFailures',
  'handlerLatencyMs',
  'crashBeforeAck',
  'duplicatePublish',
  'gatewayFailureRate',
  'gatewayLatencyMs',
] as const;
