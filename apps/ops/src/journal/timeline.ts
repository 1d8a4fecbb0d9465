import type { Subscriptions } from '@shop/rmq';

/** A journal row as the timeline needs it. */
export interface JournalEvent {
  eventId: string | null;
  eventType: string | null;
  source: string | null;
  routingKey: string;
  timestamp: string | null;
  receivedAt: string;
  correlationId: string | null;
  causationId: string | null;
  orderId: string | null;
  data: unknown;
  invalidReason: string | null;
}

export interface SagaDeadLetter {
  id: string;
  service: string;
  status: string;
  reason: string;
  eventId: string | null;
  errorMessage: string;
  deadLetteredAt: string;
}

export type ConsumerOutcome = 'handled' | 'dead-lettered' | 'pending';

export interface ConsumerView {
  service: string;
  outcome: ConsumerOutcome;
  deadLetterId?: string;
  /** How the outcome is known, or why it is not: the analyst reads this, not the code. */
  evidence: string;
}

export type TimelineItem = JournalEvent & {
  consumers: ConsumerView[];
  deadLetter?: { id: string; service: string; status: string; reason: string };
};

/**
 * The saga's events in causal order (a cause before its effects; among events ready at the same
 * time, the earliest first), each with the services that subscribe to it and what became of it
 * there; dead letters of the saga follow the event they failed on.
 */
export function buildTimeline(
  events: JournalEvent[],
  deadLetters: SagaDeadLetter[],
  subscriptions: Subscriptions,
): TimelineItem[] {
  const ordered = causalOrder(events);
  const items: TimelineItem[] = [];
  const placed = new Set<string>();
  for (const event of ordered) {
    items.push({ ...event, consumers: consumersOf(event, events, deadLetters, subscriptions) });
    for (const deadLetter of deadLetters.filter((each) => each.eventId === event.eventId)) {
      items.push(deadLetterItem(deadLetter, event));
      placed.add(deadLetter.id);
    }
  }
  // Dead letters of events the journal never saw (pruned, or before ops ran) come last.
  for (const deadLetter of deadLetters.filter((each) => !placed.has(each.id))) {
    items.push(deadLetterItem(deadLetter));
  }
  return items;
}

function consumersOf(
  event: JournalEvent,
  saga: JournalEvent[],
  deadLetters: SagaDeadLetter[],
  subscriptions: Subscriptions,
): ConsumerView[] {
  const subscribers = Object.keys(subscriptions).filter((service) =>
    subscriptions[service].some((eventType) => eventType === event.eventType),
  );
  return subscribers.map((service): ConsumerView => {
    const deadLetter = deadLetters.find(
      (each) => each.service === service && each.eventId === event.eventId,
    );
    if (deadLetter && deadLetter.status !== 'resolved') {
      return {
        service,
        outcome: 'dead-lettered',
        deadLetterId: deadLetter.id,
        evidence: `dead-lettered (${deadLetter.reason}): ${deadLetter.errorMessage}`,
      };
    }
    const effects = saga.filter(
      (each) => each.source === service && event.eventId && each.causationId === event.eventId,
    );
    if (effects.length > 0) {
      return {
        service,
        outcome: 'handled',
        evidence: `${service} published ${effects.map((each) => each.eventType).join(', ')} caused by it`,
      };
    }
    return {
      service,
      outcome: 'pending',
      evidence: deadLetter
        ? `dead-lettered earlier and resolved by a retry; no event from ${service} caused by it`
        : `no event from ${service} caused by it yet: still queued or failing with retries, or handled without publishing anything`,
    };
  });
}

function deadLetterItem(deadLetter: SagaDeadLetter, event?: JournalEvent): TimelineItem {
  return {
    eventId: deadLetter.eventId,
    eventType: event?.eventType ?? null,
    source: event?.source ?? null,
    routingKey: event?.routingKey ?? '',
    timestamp: deadLetter.deadLetteredAt,
    receivedAt: deadLetter.deadLetteredAt,
    correlationId: event?.correlationId ?? null,
    causationId: event?.causationId ?? null,
    orderId: event?.orderId ?? null,
    data: event?.data ?? null,
    invalidReason: null,
    consumers: [],
    deadLetter: {
      id: deadLetter.id,
      service: deadLetter.service,
      status: deadLetter.status,
      reason: deadLetter.reason,
    },
  };
}

/** Kahn's algorithm over causationId, earliest first among the events whose cause is placed. */
export function causalOrder(events: JournalEvent[]): JournalEvent[] {
  const when = (event: JournalEvent) => event.timestamp ?? event.receivedAt;
  const byTime = [...events].sort((a, b) => when(a).localeCompare(when(b)));
  const ids = new Set(byTime.map((event) => event.eventId).filter(Boolean));
  const placed = new Set<string>();
  const ordered: JournalEvent[] = [];
  const waiting = [...byTime];
  while (waiting.length > 0) {
    // A root's cause is outside the journal (its correlationId, or an event already pruned).
    const next = waiting.findIndex(
      (event) => !event.causationId || !ids.has(event.causationId) || placed.has(event.causationId),
    );
    // A cycle cannot happen with real ids; if forged ones make one, time order breaks it.
    const [event] = waiting.splice(next === -1 ? 0 : next, 1);
    ordered.push(event);
    if (event.eventId) placed.add(event.eventId);
  }
  return ordered;
}
