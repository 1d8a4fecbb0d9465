import type { ConsumeMessage } from 'amqplib';
import { ForwardedDeliveries } from './forwarded-deliveries';

function delivery(
  messageId: string | undefined,
  { attempts, redelivered = true }: { attempts?: number; redelivered?: boolean } = {},
): ConsumeMessage {
  return {
    content: Buffer.from(`{"eventId":"${messageId}"}`),
    fields: { redelivered } as ConsumeMessage['fields'],
    properties: {
      messageId,
      headers: attempts === undefined ? {} : { 'x-attempts': attempts },
    } as ConsumeMessage['properties'],
  };
}

describe('forwarded deliveries', () => {
  it('recognises the redelivered original once, then forgets it', () => {
    const forwarded = new ForwardedDeliveries();
    forwarded.remember(delivery('m-1', { redelivered: false }));

    expect(forwarded.takeRedelivery(delivery('m-1'))).toBe(true);
    expect(forwarded.takeRedelivery(delivery('m-1'))).toBe(false);
  });

  it('never matches a first delivery: only the broker redelivers an original', () => {
    const forwarded = new ForwardedDeliveries();
    forwarded.remember(delivery('m-1'));

    expect(forwarded.takeRedelivery(delivery('m-1', { redelivered: false }))).toBe(false);
  });

  it('never matches the copy, which carries one attempt more', () => {
    const forwarded = new ForwardedDeliveries();
    forwarded.remember(delivery('m-1', { attempts: 1 }));

    expect(forwarded.takeRedelivery(delivery('m-1', { attempts: 2 }))).toBe(false);
    expect(forwarded.takeRedelivery(delivery('m-1', { attempts: 1 }))).toBe(true);
  });

  it('tells messages without an id apart by their content', () => {
    const forwarded = new ForwardedDeliveries();
    const withoutId = delivery(undefined);
    forwarded.remember(withoutId);

    expect(forwarded.takeRedelivery({ ...withoutId, content: Buffer.from('something else') })).toBe(
      false,
    );
    expect(forwarded.takeRedelivery(withoutId)).toBe(true);
  });

  it('forgets the oldest entries beyond its capacity', () => {
    const forwarded = new ForwardedDeliveries(2);
    for (const id of ['m-1', 'm-2', 'm-3']) forwarded.remember(delivery(id));

    expect(forwarded.size).toBe(2);
    expect(forwarded.takeRedelivery(delivery('m-1'))).toBe(false);
    expect(forwarded.takeRedelivery(delivery('m-3'))).toBe(true);
  });
});
