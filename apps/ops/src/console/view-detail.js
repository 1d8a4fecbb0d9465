// One dead letter: what it is, why it failed, what happened to it since, and the actions
// (retry, edit and retry, archive, unarchive), each with a reason for the audit log.
import { api, ApiError } from './api.js';
import {
  askReason,
  badge,
  definitions,
  errorBox,
  loading,
  reasonLabel,
  toast,
} from './components.js';
import { h, replace } from './dom.js';
import { exactTime, shortId, timeElement } from './format.js';

const POLL_MS = 1500;

/** The failure story our libraries write into headers, in words. */
const HEADER_MEANINGS = {
  'x-service': 'Service that gave up on it',
  'x-dead-letter-reason': 'Why it was parked',
  'x-error-message': 'Last error',
  'x-attempts': 'Failed attempts',
  'x-first-failure-at': 'First failure',
  'x-last-failure-at': 'Last failure',
  'x-dead-lettered-at': 'Parked at',
  'x-original-exchange': 'Published to exchange',
  'x-original-routing-key': 'Routing key',
  'x-event-version': 'Event version',
  'x-causation-id': 'Caused by event',
  'x-replay-id': 'Replay sent by this console',
  'x-error-stack': 'Stack trace (see the Stack tab)',
  traceparent: 'Trace context',
};

const HISTORY_LABELS = {
  'dead-lettered': 'Parked in the dead-letter queue',
  'retry-sent': 'Retry sent',
  'retry-succeeded': 'Retry succeeded',
  'retry-failed': 'Retry failed again',
  'edited-and-retried': 'Edited and retried',
  archived: 'Archived',
  unarchived: 'Unarchived',
  resolved: 'Resolved',
};

/** @type {import('./app.js').View} */
export async function renderDetail(main, { id }) {
  let timer = 0;
  let stopped = false;
  let item;
  let editorOpen = false;
  const page = h('div', { class: 'detail' });
  replace(
    main,
    h(
      'p',
      { class: 'backline' },
      h('a', { href: '#/dead-letters', class: 'back', text: '← All dead letters' }),
    ),
    page,
  );
  replace(page, loading());

  async function refresh() {
    try {
      item = await api(`/api/dead-letters/${encodeURIComponent(id)}`);
    } catch (error) {
      replace(
        page,
        errorBox(
          error instanceof ApiError && error.status === 404
            ? new Error('This dead letter does not exist (any more).')
            : error,
        ),
      );
      return;
    }
    if (stopped) return;
    draw();
    clearTimeout(timer);
    // A retry is outstanding until the service reports back: watch it without a reload.
    if (item.status === 'retrying') timer = setTimeout(refresh, POLL_MS);
  }

  /** Runs an action and redraws with the answer; errors show in `where`. */
  async function act(run, success, where) {
    if (where) replace(where);
    try {
      item = { ...item, ...(await run()) };
      toast(success, 'success');
      editorOpen = false;
      await refresh();
    } catch (error) {
      if (where) replace(where, errorBox(error));
      else toast(error.message, 'error');
    }
  }

  async function retry() {
    const reason = await askReason({
      title: 'Retry this message?',
      body: `It is sent again to ${item.service}, exactly as it was.`,
      confirm: 'Retry',
    });
    if (reason)
      await act(
        () => api(`/api/dead-letters/${item.id}/retry`, { method: 'POST', body: { reason } }),
        'Retry sent.',
        actionError,
      );
  }

  async function archive() {
    const reason = await askReason({
      title: 'Archive this message?',
      body: 'It will not be retried. You can unarchive it later.',
      confirm: 'Archive',
      danger: true,
    });
    if (reason)
      await act(
        () => api(`/api/dead-letters/${item.id}/archive`, { method: 'POST', body: { reason } }),
        'Archived.',
        actionError,
      );
  }

  async function unarchive() {
    const reason = await askReason({
      title: 'Unarchive this message?',
      body: 'It goes back to the messages that need attention.',
      confirm: 'Unarchive',
    });
    if (reason)
      await act(
        () => api(`/api/dead-letters/${item.id}/unarchive`, { method: 'POST', body: { reason } }),
        'Unarchived.',
        actionError,
      );
  }

  const actionError = h('div', { class: 'action-error' });

  function draw() {
    const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' });
    if (item.status === 'unresolved') {
      // Editing needs a readable event to edit; an unreadable one can only be retried or archived.
      const editable = item.eventType && item.payload && typeof item.payload === 'object';
      actions.append(
        h('button', {
          type: 'button',
          class: 'button button-primary',
          text: 'Retry…',
          onclick: retry,
        }),
        editable &&
          h('button', {
            type: 'button',
            class: 'button',
            text: editorOpen ? 'Close editor' : 'Edit and retry…',
            'aria-expanded': String(editorOpen),
            onclick: () => {
              editorOpen = !editorOpen;
              draw();
            },
          }),
        h('button', {
          type: 'button',
          class: 'button button-danger-outline',
          text: 'Archive…',
          onclick: archive,
        }),
      );
    } else if (item.status === 'archived') {
      actions.append(
        h('button', { type: 'button', class: 'button', text: 'Unarchive…', onclick: unarchive }),
      );
    } else if (item.status === 'retrying') {
      actions.append(
        h('span', {
          class: 'muted',
          role: 'status',
          text: 'Retry in progress: this page updates by itself.',
        }),
      );
    }

    replace(
      page,
      h(
        'header',
        { class: 'page-header' },
        h(
          'div',
          {},
          h(
            'h1',
            {},
            item.eventType ?? 'Unreadable message',
            ' ',
            h('span', { class: 'muted', text: `at ${item.service}` }),
          ),
          h(
            'p',
            { class: 'status-line' },
            badge(item.status),
            ' ',
            h('span', { class: 'muted', text: reasonLabel(item.reason) }),
            item.group && [
              ' · ',
              h('a', { href: `#/groups/${item.group.id}`, text: 'see its failure group' }),
            ],
          ),
        ),
        actions,
      ),
      actionError,
      editorOpen && editor(),
      h(
        'div',
        { class: 'alert alert-warning' },
        h('strong', { text: 'Error: ' }),
        item.errorMessage ?? '(no error message)',
      ),
      h(
        'div',
        { class: 'detail-grid' },
        h(
          'div',
          {},
          h('section', { class: 'card' }, h('h2', { text: 'About this message' }), summary()),
          h('section', { class: 'card' }, h('h2', { text: 'History' }), history()),
        ),
        h(
          'section',
          { class: 'card' },
          tabs([
            ['Message', payload()],
            ['Headers', headers()],
            [
              'Stack',
              h('pre', { class: 'code', text: item.errorStack || 'No stack trace was recorded.' }),
            ],
          ]),
        ),
      ),
    );
  }

  function summary() {
    const idLink = (kind, value) =>
      value
        ? h('a', { href: `#/${kind}/${value}`, class: 'mono', title: value, text: value })
        : null;
    return definitions([
      ['Dead letter id', h('span', { class: 'mono', text: item.id })],
      ['Service', item.service],
      ['Queue', h('span', { class: 'mono', text: item.queue })],
      ['Why', `${reasonLabel(item.reason)} (${item.reason})`],
      ['Attempts', String(item.attempts)],
      ['Times parked', String(item.failures ?? 1)],
      ['First failure', timed(item.firstFailureAt)],
      ['Last failure', timed(item.lastFailureAt)],
      ['Parked at', timed(item.deadLetteredAt)],
      ['Order', idLink('orders', item.orderId)],
      ['Correlation', idLink('correlations', item.correlationId)],
      ['Event id', item.eventId ? h('span', { class: 'mono', text: item.eventId }) : null],
      [
        'Caused by event',
        item.causationId ? h('span', { class: 'mono', text: item.causationId }) : null,
      ],
    ]);
  }

  function history() {
    const entries = [...(item.history ?? [])].reverse();
    if (entries.length === 0) return h('p', { class: 'muted', text: 'Nothing yet.' });
    return h(
      'ol',
      { class: 'history' },
      entries.map((entry) =>
        h(
          'li',
          { class: `history-item history-${entry.kind}` },
          h(
            'div',
            { class: 'history-head' },
            h('strong', { text: HISTORY_LABELS[entry.kind] ?? entry.kind }),
            ' ',
            timeElement(entry.at),
          ),
          entry.actor && h('div', { class: 'small muted', text: `by ${entry.actor}` }),
          entry.reason && h('div', { class: 'history-reason', text: `“${entry.reason}”` }),
          entry.detail && h('div', { class: 'small mono wrap', text: entry.detail }),
        ),
      ),
    );
  }

  function payload() {
    if (item.payload !== null && item.payload !== undefined) {
      return h(
        'div',
        {},
        h('p', { class: 'muted small', text: 'The message as it was received, formatted.' }),
        h('pre', { class: 'code', tabindex: '0', text: JSON.stringify(item.payload, null, 2) }),
      );
    }
    return h(
      'div',
      {},
      h('div', {
        class: 'alert alert-info',
        text: 'This message is not valid JSON, so no service could read it. Its bytes are shown as text (invalid characters replaced).',
      }),
      h('pre', { class: 'code raw', tabindex: '0', text: item.payloadText ?? '' }),
    );
  }

  function headers() {
    const entries = Object.entries(item.headers ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) return h('p', { class: 'muted', text: 'No headers.' });
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-compact' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: 'Header' }),
            h('th', { scope: 'col', text: 'Value' }),
            h('th', { scope: 'col', text: 'Meaning' }),
          ),
        ),
        h(
          'tbody',
          {},
          entries.map(([name, value]) =>
            h(
              'tr',
              {},
              h('td', { class: 'mono nowrap', text: name }),
              h('td', {
                class: 'mono wrap',
                text:
                  name === 'x-error-stack'
                    ? '…'
                    : typeof value === 'string'
                      ? value
                      : JSON.stringify(value),
              }),
              h('td', { class: 'muted small', text: HEADER_MEANINGS[name] ?? '' }),
            ),
          ),
        ),
      ),
    );
  }

  /** Edit the event's `data` and send it again; the JSON is checked before it leaves. */
  function editor() {
    const original =
      item.payload && typeof item.payload === 'object' && 'data' in item.payload
        ? item.payload.data
        : {};
    const textarea = h('textarea', {
      id: 'edit-data',
      class: 'code-editor',
      rows: '14',
      spellcheck: 'false',
      'aria-describedby': 'edit-status',
    });
    textarea.value = JSON.stringify(original, null, 2);
    const status = h('p', { id: 'edit-status', class: 'field-hint', role: 'status' });
    const serverError = h('div');
    const send = h('button', {
      type: 'submit',
      class: 'button button-primary',
      text: 'Send edited message…',
    });
    const check = () => {
      try {
        const parsed = JSON.parse(textarea.value);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('the event data must be a JSON object: { … }');
        status.textContent = '✓ Valid JSON';
        status.className = 'field-hint ok';
        send.disabled = false;
        return parsed;
      } catch (error) {
        status.textContent = `Not valid JSON: ${error.message}`;
        status.className = 'field-hint bad';
        send.disabled = true;
        return null;
      }
    };
    textarea.addEventListener('input', check);
    check();
    const form = h(
      'form',
      { class: 'card editor' },
      h('h2', { text: 'Edit and retry' }),
      h('p', {
        class: 'muted small',
        text: `Change the event's data (the "data" part of the message), for example to correct a wrong value. The service checks it against the ${item.eventType ?? 'event'} contract before anything is sent.`,
      }),
      h('label', { for: 'edit-data', text: 'Event data (JSON)' }),
      textarea,
      status,
      serverError,
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', {
          type: 'button',
          class: 'button',
          text: 'Cancel',
          onclick: () => {
            editorOpen = false;
            draw();
          },
        }),
        send,
      ),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = check();
      if (!data) return;
      const reason = await askReason({
        title: 'Send the edited message?',
        body: `${item.service} receives your version instead of the original.`,
        confirm: 'Send',
      });
      if (reason)
        await act(
          () =>
            api(`/api/dead-letters/${item.id}/retry`, { method: 'POST', body: { reason, data } }),
          'Edited message sent.',
          serverError,
        );
    });
    setTimeout(() => {
      textarea.focus();
      textarea.setSelectionRange(0, 0);
      textarea.scrollTop = 0;
    });
    return form;
  }

  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function timed(iso) {
  return iso
    ? h(
        'span',
        {},
        h('span', { text: exactTime(iso) }),
        h('span', { class: 'muted small' }, ' (', timeElement(iso), ')'),
      )
    : null;
}

/** Accessible tabs: arrow keys move between them. @param {Array<[string, Node]>} panels */
function tabs(panels) {
  const prefix = `tab-${shortId(crypto.randomUUID())}`;
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const container = h('div', {}, list);
  const buttons = panels.map(([title, content], index) => {
    const panel = h(
      'div',
      {
        role: 'tabpanel',
        id: `${prefix}-panel-${index}`,
        'aria-labelledby': `${prefix}-${index}`,
        hidden: index !== 0,
        class: 'tab-panel',
      },
      content,
    );
    container.appendChild(panel);
    const button = h('button', {
      type: 'button',
      role: 'tab',
      id: `${prefix}-${index}`,
      class: 'tab',
      'aria-controls': panel.id,
      'aria-selected': String(index === 0),
      tabindex: index === 0 ? '0' : '-1',
      text: title,
    });
    list.appendChild(button);
    return button;
  });
  const select = (index) => {
    buttons.forEach((button, i) => {
      button.setAttribute('aria-selected', String(i === index));
      button.tabIndex = i === index ? 0 : -1;
      /** @type {HTMLElement} */ (
        container.querySelector(`#${button.getAttribute('aria-controls')}`)
      ).hidden = i !== index;
    });
    buttons[index].focus();
  };
  buttons.forEach((button, index) => {
    button.addEventListener('click', () => select(index));
    button.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight') select((index + 1) % buttons.length);
      if (event.key === 'ArrowLeft') select((index - 1 + buttons.length) % buttons.length);
    });
  });
  return container;
}
