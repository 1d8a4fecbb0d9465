// The console's entry point: sign-in, the hash router, and the frame around every view.
// Routes live in the hash (#/dead-letters/<id>) so links can be shared and the server only
// ever serves one page.
import { api, AuthError, clearToken, getToken, setToken, setUnauthorizedHandler } from './api.js';
import { refreshTimes } from './format.js';
import { renderBulkRetry, renderRetryJob } from './view-bulk-retry.js';
import { renderDetail } from './view-detail.js';
import { renderGroup, renderGroups } from './view-groups.js';
import { renderInstances } from './view-instances.js';
import { renderList } from './view-list.js';
import { renderTimeline } from './view-timeline.js';

/**
 * A view draws into `main` and may return a cleanup (stops its polling) for when the route
 * changes. @typedef {(main: HTMLElement, params: { id?: string, query: URLSearchParams }) => (void | (() => void) | Promise<void | (() => void)>)} View
 */

/** @type {Array<[RegExp, View]>} */
const ROUTES = [
  [/^\/dead-letters$/, renderList],
  [/^\/dead-letters\/([^/]+)$/, renderDetail],
  [/^\/groups$/, renderGroups],
  [/^\/groups\/([^/]+)$/, renderGroup],
  [/^\/retry$/, renderBulkRetry],
  [/^\/retry\/([^/]+)$/, renderRetryJob],
  [/^\/orders$/, (main, params) => renderTimeline(main, params, 'orderId')],
  [/^\/orders\/([^/]+)$/, (main, params) => renderTimeline(main, params, 'orderId')],
  [/^\/correlations\/([^/]+)$/, (main, params) => renderTimeline(main, params, 'correlationId')],
  [/^\/services$/, renderInstances],
];

const loginSection = /** @type {HTMLElement} */ (document.getElementById('login'));
const appSection = /** @type {HTMLElement} */ (document.getElementById('app'));
const main = /** @type {HTMLElement} */ (document.getElementById('view'));
const loginError = /** @type {HTMLElement} */ (document.getElementById('login-error'));

/** @type {null | (() => void)} */
let cleanup = null;
let renderCount = 0;

function showLogin(message) {
  stopView();
  appSection.hidden = true;
  loginSection.hidden = false;
  loginError.hidden = !message;
  loginError.textContent = message ?? '';
  document.getElementById('token')?.focus();
}

function showApp() {
  loginSection.hidden = true;
  appSection.hidden = false;
  route();
}

function stopView() {
  cleanup?.();
  cleanup = null;
}

async function route() {
  if (!getToken()) return showLogin();
  const hash = window.location.hash.replace(/^#/, '') || '/dead-letters';
  const [path, search = ''] = hash.split('?');
  const match = ROUTES.map(([pattern, view]) => [path.match(pattern), view]).find(
    ([found]) => found,
  );
  stopView();
  const thisRender = ++renderCount;
  for (const link of document.querySelectorAll('.nav a')) {
    const active =
      path.startsWith(`/${link.getAttribute('data-section')}`) ||
      (path.startsWith('/correlations') && link.getAttribute('data-section') === 'orders');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  if (!match) {
    window.location.hash = '#/dead-letters';
    return;
  }
  const [found, view] = match;
  const result = await view(main, {
    id: found[1] && decodeURIComponent(found[1]),
    query: new URLSearchParams(search),
  });
  if (typeof result === 'function') {
    // The route may have changed while the view was loading.
    if (thisRender === renderCount) cleanup = result;
    else result();
  }
}

/** Keeps the page where it was when only the query changes from inside a view. */
window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});

document.getElementById('login-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (document.getElementById('token'));
  const token = input.value.trim();
  if (!token) return showLogin('Paste the access token first.');
  const button = /** @type {HTMLButtonElement} */ (
    event.target.querySelector('button[type=submit]')
  );
  button.disabled = true;
  try {
    // The cheapest authenticated call: only counts, no rows.
    await api('/api/dead-letters', { query: { limit: 0 }, token });
    setToken(token);
    input.value = '';
    showApp();
  } catch (error) {
    showLogin(
      error instanceof AuthError
        ? 'Wrong token: the ops service did not accept it. Check for a missing character and try again.'
        : `Could not sign in: ${error.message}`,
    );
  } finally {
    button.disabled = false;
  }
});

document.getElementById('sign-out')?.addEventListener('click', () => {
  clearToken();
  showLogin();
});

setUnauthorizedHandler(() => {
  clearToken();
  showLogin('Your token is no longer accepted. Please sign in again.');
});

setInterval(refreshTimes, 30_000);

if (getToken()) showApp();
else showLogin();
