import { Command } from 'commander';
import { contextOf } from '../cli/context';
import { colors, shortId } from '../cli/output';
import { OpsApi, TimelineItem } from '../clients/ops-api';
import { callJson } from '../clients/http-api';
import { serviceUrl } from '../cli/endpoints';

const OUTCOME_COLOR: Record<string, (text: string) => string> = {
  handled: colors.green,
  'dead-lettered': colors.red,
  pending: colors.yellow,
};

export function orderCommand(): Command {
  return new Command('order')
    .description(
      "the saga's timeline: every event of the order in causal order, each consumer's outcome, and its dead letters (from ops' journal)",
    )
    .argument('<orderId>')
    .action(async (orderId: string, _options, command: Command) => {
      const { endpoints, output } = contextOf(command);
      const [timeline, order] = await Promise.all([
        new OpsApi(endpoints).timeline(orderId),
        callJson<{ status: string }>(
          `${serviceUrl(endpoints, 'orders')}/orders/${encodeURIComponent(orderId)}`,
        ),
      ]);
      output.result({ order, timeline: timeline.items }, ({ timeline: items }) => [
        colors.bold(`order ${orderId}: ${order.status}`),
        ...formatTimeline(items),
      ]);
    });
}

/** `+12ms OrderConfirmed orders → billing handled, inventory handled`, a line per event. */
export function formatTimeline(items: TimelineItem[]): string[] {
  const start = items.length > 0 ? Date.parse(items[0].timestamp ?? items[0].receivedAt) : 0;
  return items.flatMap((item) => {
    const at = Date.parse(item.timestamp ?? item.receivedAt) - start;
    const consumers = item.consumers
      .map(
        (consumer) =>
          `${consumer.service} ${(OUTCOME_COLOR[consumer.outcome] ?? String)(consumer.outcome)}`,
      )
      .join(', ');
    const lines = [
      `${colors.dim(`+${at}ms`.padStart(9))} ${colors.bold(item.eventType ?? `(invalid: ${item.invalidReason})`)} ${colors.cyan(item.source ?? '?')}${consumers ? ` → ${consumers}` : ''} ${colors.dim(shortId(item.eventId))}`,
    ];
    if (item.deadLetter)
      lines.push(
        `          ${colors.red(`dead letter ${item.deadLetter.id}`)} in ${item.deadLetter.service} (${item.deadLetter.reason}, ${item.deadLetter.status})`,
      );
    return lines;
  });
}
