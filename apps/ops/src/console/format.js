// Times as people read them: "5 min ago", with the exact local time on hover.
import { h } from './dom.js';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const UNITS = /** @type {const} */ ([
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]);

/** @param {string | null | undefined} iso */
export function relativeTime(iso) {
  if (!iso) return '—';
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  if (Number.isNaN(seconds)) return String(iso);
  if (Math.abs(seconds) < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return relative.format(Math.round(seconds / size), unit);
  }
  return String(iso);
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
});

/** Time of day to the millisecond: events of one order are often within the same second. */
export function clockElement(iso) {
  if (!iso) return h('span', { class: 'muted', text: '—' });
  const date = new Date(iso);
  return h('time', {
    datetime: iso,
    title: `${exactTime(iso)} (${relativeTime(iso)})`,
    text: Number.isNaN(date.getTime()) ? String(iso) : clock.format(date),
  });
}

/** @param {string | null | undefined} iso */
export function exactTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : exact.format(date);
}

/** A `<time>` showing the relative time, the exact one as tooltip; kept fresh by `refreshTimes`. */
export function timeElement(iso) {
  if (!iso) return h('span', { class: 'muted', text: '—' });
  return h('time', {
    datetime: iso,
    title: exactTime(iso),
    'data-relative': '',
    text: relativeTime(iso),
  });
}

export function refreshTimes() {
  for (const element of document.querySelectorAll('time[data-relative]')) {
    element.textContent = relativeTime(element.getAttribute('datetime'));
  }
}

/** First 8 characters of a uuid, enough to tell ids apart on screen. */
export function shortId(id) {
  return id ? String(id).slice(0, 8) : '—';
}

/** @param {number} count @param {string} one @param {string} [many] */
export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
