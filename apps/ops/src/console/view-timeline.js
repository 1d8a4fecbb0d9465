// An order's story from the journal: every event of its saga in causal order, who consumed
// it and how, and any dead letter on the way (linking to its detail).
import { api } from './api.js';
import { badge, emptyState, errorBox, field, loading, reasonLabel } from './components.js';
import { h, replace } from './dom.js';
import { clockElement, exactTime, plural, shortId } from './format.js';

const PENDING_POLL_MS = 3000;
/** A consumer that handles without publishing stays "pending": stop watching after a while. */
const PENDING_POLL_LIMIT = 40;

const OUTCOMES = {
  handled: ['✓', 'handled'],
  'dead-lettered': ['✗', 'dead-lettered'],
  // Pending: no follow-up event seen, which may also mean handled without publishing anything.
  pending: ['…', 'no follow-up yet'],
};

/**
 * @param {HTMLElement} main
 * @param {{ id?: string }} params
 * @param {'orderId' | 'correlationId'} kind
 */
export async function renderTimeline(main, { id }, kind) {
  let timer = 0;
  let stopped = false;
  let polls = 0;
  let shown = '';
  const input = h('input', {
    type: 'search',
    name: 'id',
    value: id ?? '',
    placeholder: 'e.g. 3f2c9a4e-…',
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    { class: 'filters filters-search', role: 'search' },
    field('Order id or correlation id', input),
    h('button', { type: 'submit', class: 'button button-primary', text: 'Show timeline' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (value) window.location.hash = `#/orders/${encodeURIComponent(value)}`;
  });
  const results = h('div');
  replace(
    main,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { text: 'Order timeline' }),
        h('p', {
          class: 'muted',
          text: 'Everything that happened to one order, in order: each event, which services handled it, and where it failed.',
        }),
      ),
    ),
    form,
    results,
  );
  if (!id) {
    input.focus();
    return;
  }

  async function load(first) {
    if (first) replace(results, loading());
    try {
      let found = kind;
      let { items } = await api('/api/messages', { query: { [kind]: id } });
      // People paste whichever id they have; try the other kind before saying "nothing".
      if (items.length === 0 && kind === 'orderId') {
        ({ items } = await api('/api/messages', { query: { correlationId: id } }));
        found = 'correlationId';
      }
      if (stopped) return;
      // Redraw only on news, so an opened "Event data" stays open.
      const seen = JSON.stringify(items);
      if (seen !== shown) draw(items, found);
      shown = seen;
      const pending = items.some((item) =>
        item.consumers?.some((consumer) => consumer.outcome === 'pending'),
      );
      if (pending && ++polls < PENDING_POLL_LIMIT)
        timer = setTimeout(() => load(false), PENDING_POLL_MS);
    } catch (error) {
      replace(results, errorBox(error));
    }
  }

  function draw(items, found) {
    if (items.length === 0) {
      replace(
        results,
        emptyState('No events for this id.', 'Check the id. Events are kept for a limited time.'),
      );
      return;
    }
    const deadLetters = items.filter((item) => item.deadLetter);
    const types = new Set(items.map((item) => item.eventType));
    const outcome = types.has('OrderConfirmed')
      ? ['resolved', 'Confirmed']
      : types.has('OrderCancelled')
        ? ['archived', 'Cancelled']
        : ['retrying', 'In progress'];
    replace(
      results,
      h(
        'div',
        { class: 'card timeline-summary' },
        h('span', { class: `badge badge-${outcome[0]}`, text: outcome[1] }),
        ' ',
        h('span', { text: `${found === 'orderId' ? 'Order' : 'Correlation'} ` }),
        h('span', { class: 'mono', text: id }),
        h('span', {
          class: 'muted',
          text: ` · ${plural(items.length - deadLetters.length, 'event')}, ${plural(deadLetters.length, 'dead letter')}`,
        }),
      ),
      h(
        'ol',
        { class: 'timeline' },
        items.map((item) => (item.deadLetter ? deadLetterEntry(item) : eventEntry(item))),
      ),
    );
  }

  await load(true);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function eventEntry(event) {
  return h(
    'li',
    { class: 'timeline-item', dataset: { eventType: event.eventType ?? '' } },
    h('div', { class: 'timeline-time' }, clockElement(event.timestamp ?? event.receivedAt)),
    h(
      'div',
      { class: 'timeline-card' },
      h(
        'div',
        { class: 'timeline-head' },
        h('strong', { class: 'event-type', text: event.eventType ?? 'Unknown event' }),
        h('span', { class: 'muted small', text: ` from ${event.source ?? '?'}` }),
      ),
      h(
        'ul',
        { class: 'consumers', 'aria-label': 'Consumers' },
        (event.consumers ?? []).map((consumer) => {
          const [icon, words] = OUTCOMES[consumer.outcome] ?? ['?', consumer.outcome];
          const content = [
            h('span', { 'aria-hidden': 'true', text: icon }),
            ' ',
            h('strong', { text: consumer.service }),
            h('span', { class: 'small', text: ` · ${words}` }),
          ];
          return h(
            'li',
            { class: `consumer consumer-${consumer.outcome}`, title: consumer.evidence ?? '' },
            consumer.deadLetterId
              ? h(
                  'a',
                  {
                    href: `#/dead-letters/${consumer.deadLetterId}`,
                    title: 'Open the dead letter',
                  },
                  content,
                )
              : content,
          );
        }),
        (event.consumers ?? []).length === 0 &&
          h('li', { class: 'muted small', text: 'No service consumes this event.' }),
      ),
      h(
        'details',
        {},
        h('summary', { text: 'Event data' }),
        h('pre', { class: 'code', text: JSON.stringify(event.data ?? null, null, 2) }),
        h('p', {
          class: 'muted small mono',
          text: `event ${event.eventId} · ${exactTime(event.timestamp)}`,
        }),
      ),
    ),
  );
}

function deadLetterEntry(item) {
  const letter = item.deadLetter;
  return h(
    'li',
    { class: 'timeline-item timeline-dead-letter', dataset: { status: letter.status } },
    h(
      'div',
      { class: 'timeline-time' },
      clockElement(item.timestamp ?? item.receivedAt ?? item.deadLetteredAt),
    ),
    h(
      'div',
      { class: 'timeline-card' },
      h(
        'div',
        { class: 'timeline-head' },
        badge(letter.status),
        ' ',
        h('strong', { text: `Dead letter at ${letter.service}` }),
        h('span', { class: 'muted small', text: ` · ${reasonLabel(letter.reason)}` }),
      ),
      item.eventType &&
        h('p', {
          class: 'small',
          text:
            letter.status === 'resolved'
              ? `${item.eventType} failed here, then a retry went through.`
              : `${item.eventType} could not be processed.`,
        }),
      h('a', {
        href: `#/dead-letters/${letter.id}`,
        class: 'button button-small',
        text: `Open dead letter ${shortId(letter.id)}`,
      }),
    ),
  );
}
