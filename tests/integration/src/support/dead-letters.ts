import { IsolatedBroker, waitFor } from '@shop/testing';

/** Waits until `queue` (a DLQ) holds the message with this id, and returns it as peeked. */
export async function waitForDeadLetter(broker: IsolatedBroker, queue: string, messageId: string) {
  const messages = await waitFor(
    () => broker.admin.peek(broker.vhost, queue),
    (peeked) => peeked.some((m) => m.properties.message_id === messageId),
    { description: `${messageId} in ${queue}` },
  );
  return messages.find((m) => m.properties.message_id === messageId)!;
}
