// Bulk retry: choose messages by filter or failure group, see how many match before sending,
// send them at a gentle rate, and follow the job.
import { api } from './api.js';
import { askReason, emptyState, errorBox, field, loading, toast } from './components.js';
import { h, replace } from './dom.js';
import { plural, timeElement } from './format.js';
import { apiFilter, FILTER_NAMES, filterForm } from './view-list.js';

const JOB_POLL_MS = 1000;
const DEFAULT_RATE = 10;

/** @type {import('./app.js').View} */
export async function renderBulkRetry(main, { query }) {
  const groupId = query.get('groupId') ?? '';
  // Only messages that need attention can be retried; that is the sensible default scope.
  let values = Object.fromEntries(
    FILTER_NAMES.map((name) => [name, query.get(name) ?? (name === 'status' ? 'unresolved' : '')]),
  );
  const preview = h('p', {
    class: 'preview',
    id: 'bulk-preview',
    role: 'status',
    'aria-live': 'polite',
  });
  const rate = h('input', {
    type: 'number',
    name: 'rate',
    min: '1',
    max: '100',
    step: '1',
    value: String(DEFAULT_RATE),
    class: 'input-narrow',
  });
  const send = h('button', {
    type: 'button',
    class: 'button button-primary',
    text: 'Retry…',
    disabled: true,
  });
  const sendError = h('div');
  const jobs = h('div', {}, loading());
  let total = 0;
  let groupTitle = '';

  const scope = h('div');
  if (groupId) {
    try {
      const { items } = await api('/api/groups');
      groupTitle = items.find((group) => group.id === groupId)?.title ?? groupId;
    } catch {
      groupTitle = groupId;
    }
    replace(
      scope,
      h(
        'div',
        { class: 'card scope' },
        h('span', { class: 'muted', text: 'Failure group: ' }),
        h('strong', { text: groupTitle }),
        ' ',
        h('a', { href: '#/retry', text: '(choose by filters instead)' }),
      ),
    );
  } else {
    replace(
      scope,
      filterForm(
        values,
        (next) => {
          values = next;
          history.replaceState(
            null,
            '',
            `#/retry?${new URLSearchParams(Object.entries(values).filter(([, value]) => value))}`,
          );
          count();
        },
        { submitLabel: 'Count' },
      ),
    );
  }

  const body = () => ({
    ...(groupId
      ? { groupId }
      : {
          filter: Object.fromEntries(
            Object.entries(apiFilter(values)).filter(([, value]) => value),
          ),
        }),
    ratePerSecond: Number(rate.value) || DEFAULT_RATE,
  });

  async function count() {
    preview.textContent = 'Counting…';
    send.disabled = true;
    try {
      const query = groupId ? { groupId, status: 'unresolved' } : apiFilter(values);
      ({ total } = await api('/api/dead-letters', { query: { ...query, limit: 0 } }));
      describe();
      send.textContent = total > 0 ? `Retry ${plural(total, 'message')}…` : 'Nothing to retry';
      send.disabled = total === 0;
    } catch (error) {
      replace(preview, errorBox(error));
    }
  }

  function describe() {
    const perSecond = Number(rate.value) || DEFAULT_RATE;
    preview.replaceChildren(
      h('strong', { text: plural(total, 'message') }),
      total === 1 ? ' matches.' : ' match.',
      total > 0
        ? ` At ${perSecond} per second this takes about ${duration(total / perSecond)}.`
        : '',
    );
  }
  rate.addEventListener('input', describe);

  send.addEventListener('click', async () => {
    const reason = await askReason({
      title: `Retry ${plural(total, 'message')}?`,
      body: 'Each is sent again to the service that parked it, at the rate you chose. Messages resolved or archived meanwhile are skipped.',
      confirm: 'Start retrying',
    });
    if (!reason) return;
    replace(sendError);
    send.disabled = true;
    try {
      const { job } = await api('/api/dead-letters/retry', {
        method: 'POST',
        body: { ...body(), reason },
      });
      toast('Bulk retry started.', 'success');
      window.location.hash = `#/retry/${job.id}`;
    } catch (error) {
      replace(sendError, errorBox(error));
      send.disabled = false;
    }
  });

  replace(
    main,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        {},
        h('h1', { text: 'Bulk retry' }),
        h('p', {
          class: 'muted',
          text: 'Once the cause of a failure is fixed, send every affected message again.',
        }),
      ),
    ),
    h('section', { class: 'step' }, h('h2', { text: '1. Which messages' }), scope),
    h(
      'section',
      { class: 'step' },
      h('h2', { text: '2. How fast' }),
      field('Messages per second', rate, 'Slow is kind to a service that just recovered.'),
    ),
    h(
      'section',
      { class: 'step' },
      h('h2', { text: '3. Check and start' }),
      preview,
      h('div', { class: 'actions' }, send),
      sendError,
    ),
    h('section', { class: 'step' }, h('h2', { text: 'Recent bulk retries' }), jobs),
  );
  await Promise.all([count(), loadJobs(jobs)]);
}

async function loadJobs(container) {
  try {
    const { items } = await api('/api/retry-jobs');
    if (!items.length) return replace(container, emptyState('No bulk retry yet.'));
    replace(container, jobTable(items));
  } catch (error) {
    replace(container, errorBox(error));
  }
}

function jobTable(items) {
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
          ['Started', 'By', 'Reason', 'Status', 'Progress'].map((title) =>
            h('th', { scope: 'col', text: title }),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((job) =>
          h(
            'tr',
            {},
            h(
              'td',
              { class: 'nowrap' },
              h('a', { href: `#/retry/${job.id}` }, timeElement(job.createdAt)),
            ),
            h('td', { text: job.actor ?? '—' }),
            h('td', { class: 'error-cell', text: job.reason ?? '—' }),
            h('td', {}, jobBadge(job.status)),
            h('td', { text: `${done(job)} of ${job.total}` }),
          ),
        ),
      ),
    ),
  );
}

/** @type {import('./app.js').View} */
export async function renderRetryJob(main, { id }) {
  let timer = 0;
  let stopped = false;
  const body = h('div', {}, loading());
  replace(
    main,
    h('p', { class: 'backline' }, h('a', { href: '#/retry', class: 'back', text: '← Bulk retry' })),
    h('h1', { text: 'Bulk retry progress' }),
    body,
  );

  async function poll() {
    try {
      const job = await api(`/api/retry-jobs/${encodeURIComponent(id)}`);
      if (stopped) return;
      replace(
        body,
        h(
          'section',
          { class: 'card job', dataset: { status: job.status } },
          h(
            'p',
            { class: 'status-line' },
            jobBadge(job.status),
            ' ',
            h(
              'span',
              { class: 'muted' },
              'started ',
              timeElement(job.createdAt),
              job.actor ? ` by ${job.actor}` : '',
            ),
          ),
          job.reason && h('p', { class: 'history-reason', text: `“${job.reason}”` }),
          h('progress', {
            max: String(Math.max(job.total, 1)),
            value: String(job.total ? done(job) : 1),
            'aria-label': 'Progress',
          }),
          h(
            'dl',
            { class: 'stats' },
            stat('Matched', job.total),
            stat('Sent', job.sent, 'ok'),
            stat('Skipped', job.skipped),
            stat('Failed to send', job.failed, job.failed ? 'bad' : ''),
            stat('Rate', `${job.ratePerSecond}/s`),
          ),
          h('p', {
            class: 'muted small',
            text:
              job.status === 'running'
                ? 'Sending… this page updates by itself.'
                : 'Sent. Each message is resolved when its service handles it: see the dead letters list.',
          }),
          job.status !== 'running' &&
            h('a', { class: 'button', href: '#/dead-letters', text: 'Open the dead letters' }),
        ),
      );
      if (job.status === 'running') timer = setTimeout(poll, JOB_POLL_MS);
    } catch (error) {
      replace(body, errorBox(error));
    }
  }
  await poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function done(job) {
  return job.sent + job.skipped + job.failed;
}

function stat(label, value, kind = '') {
  return h(
    'div',
    { class: `stat ${kind}` },
    h('dt', { text: label }),
    h('dd', { text: String(value) }),
  );
}

function jobBadge(status) {
  const labels = { running: 'Running', finished: 'Finished', failed: 'Failed' };
  return h('span', {
    class: `badge badge-job-${status}`,
    dataset: { status },
    text: labels[status] ?? status,
  });
}

function duration(seconds) {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
