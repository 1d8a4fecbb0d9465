// Failure groups: dead letters that failed the same way (service, event type, error shape),
// so one fix and one bulk retry can clear many.
import { api } from './api.js';
import {
  deadLetterTable,
  emptyState,
  errorBox,
  loading,
  pager,
  reasonLabel,
} from './components.js';
import { h, replace } from './dom.js';
import { plural, timeElement } from './format.js';

const PAGE_SIZE = 25;

/** @type {import('./app.js').View} */
export async function renderGroups(main, { query }) {
  const onlyOpen = query.get('open') !== 'all';
  const results = h('div', {}, loading());
  const toggle = h('input', { type: 'checkbox', id: 'only-open', checked: onlyOpen });
  toggle.addEventListener('change', () => {
    window.location.hash = toggle.checked ? '#/groups' : '#/groups?open=all';
  });
  replace(
    main,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { text: 'Failure groups' }),
        h('p', {
          class: 'muted',
          text: 'Messages that failed the same way, grouped. Fix the cause once, then retry the whole group.',
        }),
      ),
      h('label', { class: 'checkbox' }, toggle, ' Only groups that still need attention'),
    ),
    results,
  );
  try {
    const { items } = await api('/api/groups');
    const groups = (onlyOpen ? items.filter((group) => group.unresolved > 0) : items).sort((a, b) =>
      String(b.lastSeen).localeCompare(String(a.lastSeen)),
    );
    if (groups.length === 0) {
      replace(
        results,
        emptyState(
          onlyOpen ? 'No group needs attention.' : 'No failure groups yet.',
          onlyOpen ? 'Untick the box above to see the resolved ones too.' : undefined,
        ),
      );
      return;
    }
    replace(
      results,
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
              ['Group', 'Service', 'Why', 'Need attention', 'Total', 'First seen', 'Last seen'].map(
                (title) =>
                  h('th', {
                    scope: 'col',
                    text: title,
                    class: ['Need attention', 'Total'].includes(title) ? 'num' : undefined,
                  }),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            groups.map((group) => {
              const row = h(
                'tr',
                { class: 'clickable', dataset: { id: group.id } },
                h(
                  'td',
                  { class: 'error-cell' },
                  h('a', {
                    href: `#/groups/${group.id}`,
                    class: 'row-link',
                    text: group.eventType ?? 'Unreadable messages',
                  }),
                  h('div', {
                    class: 'small muted ellipsis',
                    title: group.errorShape ?? '',
                    text: group.errorShape ?? group.title,
                  }),
                ),
                h('td', { text: group.service }),
                h('td', { class: 'nowrap', text: reasonLabel(group.reason) }),
                h(
                  'td',
                  { class: 'num' },
                  group.unresolved > 0
                    ? h('span', { class: 'count count-alert', text: String(group.unresolved) })
                    : h('span', { class: 'muted', text: '0' }),
                ),
                h('td', { class: 'num', text: String(group.count) }),
                h('td', { class: 'nowrap' }, timeElement(group.firstSeen)),
                h('td', { class: 'nowrap' }, timeElement(group.lastSeen)),
              );
              row.addEventListener('click', (event) => {
                if (event.target instanceof Element && !event.target.closest('a'))
                  window.location.hash = `#/groups/${group.id}`;
              });
              return row;
            }),
          ),
        ),
      ),
    );
  } catch (error) {
    replace(results, errorBox(error));
  }
}

/** @type {import('./app.js').View} */
export async function renderGroup(main, { id }) {
  const head = h('div', {}, loading());
  const results = h('div');
  replace(
    main,
    h(
      'p',
      { class: 'backline' },
      h('a', { href: '#/groups', class: 'back', text: '← All failure groups' }),
    ),
    head,
    results,
  );
  let group;
  try {
    const { items } = await api('/api/groups');
    group = items.find((candidate) => candidate.id === id);
  } catch (error) {
    replace(head, errorBox(error));
    return;
  }
  if (!group) {
    replace(head, errorBox(new Error('This failure group does not exist.')));
    return;
  }
  replace(
    head,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { text: group.title }),
        h(
          'p',
          { class: 'muted' },
          `${plural(group.count, 'message')}, ${group.unresolved} needing attention · first seen `,
          timeElement(group.firstSeen),
          ', last seen ',
          timeElement(group.lastSeen),
        ),
      ),
      group.unresolved > 0
        ? h('a', {
            class: 'button button-primary',
            href: `#/retry?groupId=${group.id}`,
            text: `Retry this group…`,
          })
        : null,
    ),
    h(
      'div',
      { class: 'alert alert-warning' },
      h('strong', { text: 'Error: ' }),
      group.errorShape ?? '—',
    ),
  );
  const load = async (offset) => {
    replace(results, loading());
    try {
      const page = await api('/api/dead-letters', {
        query: { groupId: id, limit: PAGE_SIZE, offset },
      });
      replace(
        results,
        page.items.length
          ? [
              deadLetterTable(page.items),
              pager({ total: page.total, limit: PAGE_SIZE, offset, onPage: load }),
            ]
          : emptyState('No messages in this group.'),
      );
    } catch (error) {
      replace(results, errorBox(error));
    }
  };
  await load(0);
}
