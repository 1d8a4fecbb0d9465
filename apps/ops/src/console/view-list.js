// The dead letters, newest first, with filters and full-text search. Filters live in the
// hash's query so a filtered list can be bookmarked or sent to a colleague.
import { api } from './api.js';
import {
  deadLetterTable,
  emptyState,
  errorBox,
  EVENT_TYPES,
  field,
  loading,
  pager,
  REASONS,
  select,
  SERVICES,
  STATUSES,
} from './components.js';
import { h, replace } from './dom.js';
import { plural } from './format.js';

export const FILTER_NAMES = ['q', 'service', 'eventType', 'reason', 'status', 'from', 'to'];
const PAGE_SIZE = 25;

/** `datetime-local` values are local times; the API wants ISO instants. */
export function toIso(local) {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** The filter form shared by the list and the bulk retry page. */
export function filterForm(values, onChange, { submitLabel = 'Search' } = {}) {
  const search = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'Order id, event id, error text, anything in the message…',
    value: values.q ?? '',
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    h(
      'div',
      { class: 'filters-search' },
      field('Search', search),
      h('button', { type: 'submit', class: 'button button-primary', text: submitLabel }),
    ),
    h(
      'div',
      { class: 'filters-row' },
      field('Service', select('service', SERVICES, 'All services', values.service ?? '')),
      field(
        'Event type',
        select('eventType', EVENT_TYPES, 'All event types', values.eventType ?? ''),
      ),
      field('Why it failed', select('reason', REASONS, 'Any reason', values.reason ?? '')),
      field('Status', select('status', STATUSES, 'Any status', values.status ?? '')),
      field(
        'Parked after',
        h('input', { type: 'datetime-local', name: 'from', value: values.from ?? '' }),
      ),
      field(
        'Parked before',
        h('input', { type: 'datetime-local', name: 'to', value: values.to ?? '' }),
      ),
    ),
  );
  const read = () => {
    const data = new FormData(form);
    return Object.fromEntries(
      FILTER_NAMES.map((name) => [name, String(data.get(name) ?? '').trim()]),
    );
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onChange(read());
  });
  // Selects apply at once; text waits for Enter or the button.
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement || event.target.type === 'datetime-local')
      onChange(read());
  });
  return form;
}

/** The API query for filter values (times converted to ISO). */
export function apiFilter(values) {
  return {
    q: values.q,
    service: values.service,
    eventType: values.eventType,
    reason: values.reason,
    status: values.status,
    from: toIso(values.from),
    to: toIso(values.to),
  };
}

function hashFor(values, offset) {
  const query = new URLSearchParams();
  for (const name of FILTER_NAMES) if (values[name]) query.set(name, values[name]);
  if (offset) query.set('offset', String(offset));
  const text = query.toString();
  return `#/dead-letters${text ? `?${text}` : ''}`;
}

/** @type {import('./app.js').View} */
export function renderList(main, { query }) {
  let values = Object.fromEntries(FILTER_NAMES.map((name) => [name, query.get(name) ?? '']));
  let offset = Number(query.get('offset')) || 0;
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const summary = h('p', { class: 'muted', id: 'list-summary' });
  const retryAll = h('a', { class: 'button', href: '#/retry', text: 'Retry all matching…' });

  replace(
    main,
    h(
      'header',
      { class: 'page-header' },
      h('div', {}, h('h1', { text: 'Dead letters' }), summary),
      retryAll,
    ),
    filterForm(values, (next) => {
      values = next;
      offset = 0;
      load();
    }),
    results,
  );

  let generation = 0;
  async function load() {
    const mine = ++generation;
    // The address follows the filters without a navigation (which would reset focus).
    history.replaceState(null, '', hashFor(values, offset));
    const retryQuery = new URLSearchParams(Object.entries(values).filter(([, value]) => value));
    retryAll.setAttribute('href', `#/retry${retryQuery.size ? `?${retryQuery}` : ''}`);
    replace(results, loading());
    try {
      const page = await api('/api/dead-letters', {
        query: { ...apiFilter(values), limit: PAGE_SIZE, offset },
      });
      if (mine !== generation) return;
      summary.textContent = `${plural(page.total, 'message')} ${Object.values(values).some(Boolean) ? 'match' + (page.total === 1 ? 'es' : '') + ' these filters' : 'parked in total'}, newest first.`;
      if (page.items.length === 0) {
        replace(
          results,
          emptyState(
            'No dead letters here.',
            Object.values(values).some(Boolean)
              ? 'Try fewer filters or another search.'
              : 'Every message was processed. Nothing to do.',
          ),
        );
        return;
      }
      replace(
        results,
        deadLetterTable(page.items),
        pager({
          total: page.total,
          limit: PAGE_SIZE,
          offset,
          onPage: (next) => {
            offset = next;
            load();
          },
        }),
      );
    } catch (error) {
      if (mine === generation) replace(results, errorBox(error));
    }
  }
  load();
}
