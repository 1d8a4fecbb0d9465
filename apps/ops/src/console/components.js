// Pieces several views share: badges, the reason dialog, the dead-letter table, the pager.
import { h, replace } from './dom.js';
import { shortId, timeElement } from './format.js';

export const SERVICES = ['orders', 'billing', 'inventory', 'payments'];
export const EVENT_TYPES = [
  'OrderPlaced',
  'StockReserved',
  'StockRejected',
  'PaymentRequested',
  'PaymentCaptured',
  'PaymentDeclined',
  'OrderProcessed',
  'OrderConfirmed',
  'OrderCancelled',
  'StockReleased',
  'PaymentRefunded',
];
/** The `x-dead-letter-reason` values, with words for people who do not read headers. */
export const REASONS = {
  'retries-exhausted': 'Failed on every retry',
  'non-retryable': 'Failed, not worth retrying',
  unparseable: 'Not readable (not JSON)',
  'invalid-envelope': 'Missing event fields',
  'unknown-event-type': 'Unknown event type',
  'unsupported-version': 'Unsupported event version',
  'invalid-payload': 'Invalid event data',
  'no-handler': 'No handler for it',
};
export const STATUSES = {
  unresolved: 'Needs attention',
  retrying: 'Retrying',
  resolved: 'Resolved',
  archived: 'Archived',
};

/** A status pill: the word is always there, colour only helps. */
export function badge(status) {
  const label =
    STATUSES[status] ?? (status === 'up' ? 'Up' : status === 'missing' ? 'Missing' : status);
  return h('span', { class: `badge badge-${status}`, dataset: { status }, text: label });
}

export function reasonLabel(reason) {
  return REASONS[reason] ?? reason ?? '—';
}

/** @param {unknown} error */
export function errorBox(error) {
  const message = error instanceof Error ? error.message : String(error);
  return h('div', { class: 'alert alert-error', role: 'alert', text: message });
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status', text });
}

export function emptyState(title, hint) {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title', text: title }),
    hint && h('p', { class: 'muted', text: hint }),
  );
}

/** A short-lived message in the corner, announced to screen readers. */
export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: `toast toast-${kind}`, text: message });
  region.appendChild(item);
  setTimeout(() => item.remove(), 5000);
}

/**
 * Asks why, before an action that is recorded in the audit log.
 * @param {{ title: string, body?: string, confirm: string, danger?: boolean }} options
 * @returns {Promise<string | null>} the reason, or null when cancelled
 */
export function askReason({ title, body, confirm, danger = false }) {
  return new Promise((resolve) => {
    const input = h('textarea', {
      id: 'reason-input',
      name: 'reason',
      rows: '3',
      required: true,
      maxlength: '500',
      placeholder: 'e.g. "billing fixed in release 1.4, replaying"',
    });
    const hint = h('p', { class: 'field-error', role: 'alert' });
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'reason-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'reason-title', text: title }),
        body && h('p', { class: 'muted', text: body }),
        h('label', { for: 'reason-input', text: 'Reason (kept in the history and audit log)' }),
        input,
        hint,
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', {
            type: 'button',
            class: 'button',
            value: 'cancel',
            text: 'Cancel',
            onclick: () => dialog.close('cancel'),
          }),
          h('button', {
            type: 'submit',
            class: danger ? 'button button-danger' : 'button button-primary',
            value: 'ok',
            text: confirm,
          }),
        ),
      ),
    );
    dialog.querySelector('form').addEventListener('submit', (event) => {
      if (!input.value.trim()) {
        event.preventDefault();
        hint.textContent = 'Please say why, in a few words.';
        input.focus();
      }
    });
    dialog.addEventListener('close', () => {
      const reason = dialog.returnValue === 'ok' ? input.value.trim() : null;
      dialog.remove();
      resolve(reason || null);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    input.focus();
  });
}

/**
 * "1–50 of 312" with previous / next.
 * @param {{ total: number, limit: number, offset: number, onPage: (offset: number) => void }} page
 */
export function pager({ total, limit, offset, onPage }) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    h('span', {
      class: 'pager-range',
      text: `${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()}`,
    }),
    h('button', {
      type: 'button',
      class: 'button',
      text: '← Newer',
      disabled: offset === 0,
      onclick: () => onPage(Math.max(0, offset - limit)),
    }),
    h('button', {
      type: 'button',
      class: 'button',
      text: 'Older →',
      disabled: offset + limit >= total,
      onclick: () => onPage(offset + limit),
    }),
  );
}

/** Dead letters as a table; each row links to the detail view. */
export function deadLetterTable(items) {
  const body = h('tbody');
  for (const item of items) {
    const link = h('a', {
      href: `#/dead-letters/${item.id}`,
      class: 'row-link',
      text: item.eventType ?? '(unreadable message)',
    });
    const row = h(
      'tr',
      { dataset: { id: item.id }, class: 'clickable' },
      h('td', {}, badge(item.status)),
      h('td', { class: 'nowrap' }, timeElement(item.deadLetteredAt)),
      h('td', { class: 'nowrap' }, link),
      h('td', { text: item.service }),
      h(
        'td',
        { class: 'error-cell', title: item.errorMessage ?? '' },
        h('div', { class: 'ellipsis', text: item.errorMessage ?? '—' }),
        h('div', { class: 'muted small', title: item.reason, text: reasonLabel(item.reason) }),
      ),
      h(
        'td',
        { class: 'mono' },
        item.orderId
          ? h('a', {
              href: `#/orders/${item.orderId}`,
              title: `Timeline of order ${item.orderId}`,
              text: shortId(item.orderId),
            })
          : '—',
      ),
      h('td', { class: 'num', text: String(item.failures ?? 1) }),
    );
    // The whole row is a click target; keyboard users have the link in it.
    row.addEventListener('click', (event) => {
      if (!(event.target instanceof Element) || event.target.closest('a, button')) return;
      window.location.hash = `#/dead-letters/${item.id}`;
    });
    body.appendChild(row);
  }
  return h(
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
          ['Status', 'Parked', 'Message', 'Service', 'What went wrong', 'Order', 'Failures'].map(
            (title) =>
              h('th', {
                scope: 'col',
                text: title,
                class: title === 'Failures' ? 'num' : undefined,
              }),
          ),
        ),
      ),
      body,
    ),
  );
}

/** A labelled form field. */
export function field(label, control, hint) {
  const id = control.id || `field-${Math.random().toString(36).slice(2, 8)}`;
  control.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, text: label }),
    control,
    hint && h('p', { class: 'muted small', text: hint }),
  );
}

/** @param {string} name @param {Record<string, string> | string[]} options @param {string} anyLabel */
export function select(name, options, anyLabel, value = '') {
  const entries = Array.isArray(options)
    ? options.map((option) => [option, option])
    : Object.entries(options);
  const element = h(
    'select',
    { name },
    anyLabel && h('option', { value: '', text: anyLabel }),
    entries.map(([optionValue, label]) => h('option', { value: optionValue, text: label })),
  );
  element.value = value;
  return element;
}

/** Shows a value, or a dash; for definition lists. */
export function definitions(pairs) {
  const list = h('dl', { class: 'definitions' });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(
      h('dt', { text: term }),
      h(
        'dd',
        {},
        value === null || value === '' ? h('span', { class: 'muted', text: '—' }) : value,
      ),
    );
  }
  return list;
}

export { replace };
