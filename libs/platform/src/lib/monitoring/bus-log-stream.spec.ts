import pino from 'pino';
import { BusLogStream, LOG_BUFFER_CAPACITY } from './bus-log-stream';
import type { GelfMessage } from './gelf';
import type { BusDropReason } from './monitoring.metrics';

describe('the bus log stream', () => {
  it('forwards each line as GELF under log.<service>.<level>', async () => {
    const stream = new BusLogStream('billing');
    const sent: Array<[string, GelfMessage]> = [];
    stream.attach(
      async (key, gelf) => void sent.push([key, gelf]),
      () => undefined,
    );
    const logger = pino({ formatters: { level: (label) => ({ level: label }) } }, stream);

    logger.warn({ correlationId: 'c-1' }, 'slow gateway');
    await new Promise((resolve) => setImmediate(resolve));

    expect(sent).toHaveLength(1);
    expect(sent[0][0]).toBe('log.billing.warn');
    expect(sent[0][1]).toMatchObject({
      short_message: 'slow gateway',
      level: 4,
      _correlation_id: 'c-1',
    });
  });

  it('drops, and counts, a line logged while a line is being published, instead of looping', async () => {
    const stream = new BusLogStream('billing');
    const logger = pino({ formatters: { level: (label) => ({ level: label }) } }, stream);
    const sent: string[] = [];
    const dropped: BusDropReason[] = [];
    stream.attach(
      async (_key, gelf) => {
        sent.push(gelf.short_message);
        // What a publish path that logs its own failure would do.
        logger.error('cannot publish a log line');
      },
      (reason) => dropped.push(reason),
    );

    logger.warn('the one line');
    await new Promise((resolve) => setImmediate(resolve));

    expect(sent).toEqual(['the one line']);
    expect(dropped).toEqual(['recursive']);
  });

  it('keeps at most its capacity while the bus is not attached, counting the rest once it is', () => {
    const stream = new BusLogStream('billing');
    const logger = pino({ formatters: { level: (label) => ({ level: label }) } }, stream);
    for (let i = 0; i < LOG_BUFFER_CAPACITY + 5; i++) logger.warn(`line ${i}`);

    expect(stream.buffered).toBe(LOG_BUFFER_CAPACITY);
    const dropped: BusDropReason[] = [];
    // A sender that never settles: nothing drains beyond what is in flight.
    stream.attach(
      () => new Promise(() => undefined),
      (reason) => dropped.push(reason),
    );
    expect(dropped).toEqual(Array(5).fill('buffer-full'));
  });
});
