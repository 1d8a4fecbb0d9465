// Which service instances are alive, from their heartbeats.
import { api } from './api.js';
import { badge, emptyState, errorBox, loading } from './components.js';
import { h, replace } from './dom.js';
import { timeElement } from './format.js';

const REFRESH_MS = 5000;

/** @type {import('./app.js').View} */
export async function renderInstances(main) {
  let timer = 0;
  let stopped = false;
  const results = h('div', {}, loading());
  const updated = h('p', { class: 'muted small', role: 'status' });
  replace(
    main,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { text: 'Service instances' }),
        h('p', {
          class: 'muted',
          text: 'Every running copy of each service says "I am alive" every few seconds. One that stops saying it is shown as missing.',
        }),
      ),
      updated,
    ),
    results,
  );

  async function load() {
    try {
      const { items } = await api('/api/services');
      if (stopped) return;
      updated.textContent = `Refreshes every ${REFRESH_MS / 1000} s · last ${new Date().toLocaleTimeString()}`;
      if (items.length === 0) {
        replace(
          results,
          emptyState(
            'No instance has reported yet.',
            'Services report within a few seconds of starting.',
          ),
        );
      } else {
        const sorted = [...items].sort(
          (a, b) =>
            a.service.localeCompare(b.service) ||
            String(a.startedAt).localeCompare(String(b.startedAt)),
        );
        const down = items.filter((item) => item.status !== 'up').length;
        replace(
          results,
          h('div', {
            class: `alert ${down ? 'alert-error' : 'alert-ok'}`,
            text: down
              ? `${down} of ${items.length} instances missing.`
              : `All ${items.length} instances up.`,
          }),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Service', 'Status', 'Instance', 'Started', 'Last heartbeat'].map((title) =>
                    h('th', { scope: 'col', text: title }),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                sorted.map((item) =>
                  h(
                    'tr',
                    { dataset: { service: item.service, status: item.status } },
                    h('td', {}, h('strong', { text: item.service })),
                    h('td', {}, badge(item.status)),
                    h('td', { class: 'mono small', text: item.instanceId }),
                    h('td', { class: 'nowrap' }, timeElement(item.startedAt)),
                    h('td', { class: 'nowrap' }, timeElement(item.lastSeenAt)),
                  ),
                ),
              ),
            ),
          ),
        );
      }
    } catch (error) {
      if (!stopped) replace(results, errorBox(error));
    }
    if (!stopped) timer = setTimeout(load, REFRESH_MS);
  }
  await load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
