import { createEvent, DomainEvent } from '@shop/contracts';
import {
  FAST_RETRY_ENV,
  OPS_TEST_TOKEN,
  publishEvent,
  publishRaw,
  TestSystem,
  waitFor,
} from '@shop/testing';
import { EVENTS_EXCHANGE } from '@shop/rmq';
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newConsolePage, screenshot } from './support/console-browser';
import { OpsClient } from './support/ops-client';
import { ShopClient } from './support/shop-client';

interface DeadLetterPage {
  items: Array<{ id: string; service: string; eventType: string | null; status: string }>;
  total: number;
}

const UI_TIMEOUT_MS = 30_000;

/**
 * The ops console in a real browser (Debian's chromium) against the real ops service, with the
 * whole shop running on a private vhost: a person signs in, finds a failed message, reads it,
 * replays it and follows the order's story.
 */
describe('ops console in a browser', () => {
  let system: TestSystem;
  let shop: ShopClient;
  let ops: OpsClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      TestSystem.start('console', {
        services: ['orders', 'billing', 'inventory', 'payments', 'ops'],
        env: { ...FAST_RETRY_ENV, HEARTBEAT_INTERVAL_MS: '1000' },
        // A "flaky-" customer's gateway calls fail twice: with two attempts, payments gives up
        // and parks the PaymentRequested; the third call (a replay) goes through.
        envFor: { payments: { RETRY_MAX_ATTEMPTS: '2', RETRY_DELAYS_MS: '200' } },
      }),
      launchChromium(),
    ]);
    shop = new ShopClient(system);
    ops = new OpsClient(system);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  beforeEach(async () => {
    ({ context, page } = await newConsolePage(browser));
  });

  afterEach(async () => {
    await context?.close();
  });

  const consoleUrl = (hash = '') => `${system.service('ops').baseUrl}/${hash}`;

  async function signIn(hash = ''): Promise<void> {
    await page.goto(consoleUrl(hash));
    await page.getByLabel('Access token').fill(OPS_TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  /** Waits until ops has collected dead letters matching `q` (the console reads the same API). */
  async function deadLettersMatching(q: string, count: number): Promise<DeadLetterPage> {
    return waitFor(
      async () =>
        (await ops.get<DeadLetterPage>(`/api/dead-letters?q=${encodeURIComponent(q)}`)).body,
      (page) => page.total >= count,
      { timeoutMs: UI_TIMEOUT_MS, description: `${count} dead letters matching ${q}` },
    );
  }

  /** Garbage on order.placed: billing and inventory both park it as unparseable. */
  async function publishPoison(marker: string): Promise<void> {
    await publishRaw(
      system.broker.url,
      EVENTS_EXCHANGE,
      'order.placed',
      Buffer.from(`not json <img src=x onerror="window.__injected=1"> ${marker}`),
    );
  }

  async function answerReason(reason: string, confirm: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill(reason);
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  async function statusBadge(): Promise<string | null> {
    return page.locator('.status-line .badge').getAttribute('data-status');
  }

  it('says "wrong token" for a token ops refuses, signs in with the right one, and signs out', async () => {
    const response = await page.goto(consoleUrl());
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByLabel('Access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('Wrong token');
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);

    await page.getByLabel('Access token').fill(OPS_TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('finds a parked payment by its order id, retries it with a reason, and shows it resolved without a reload; the order then completes', async () => {
    const placed = await shop.placeOrder(`flaky-${randomUUID().slice(0, 8)}`, [
      { sku: 'SKU-0001', quantity: 1 },
    ]);
    await deadLettersMatching(placed.orderId, 1);

    await signIn();
    await page.getByRole('searchbox', { name: 'Search' }).fill(placed.orderId);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator('tbody tr', { hasText: 'PaymentRequested' });
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'list');

    await row.getByRole('link', { name: 'PaymentRequested' }).click();
    await page.getByRole('heading', { name: /PaymentRequested/ }).waitFor();
    expect(await statusBadge()).toBe('unresolved');
    expect(await page.locator('.alert-warning').textContent()).toContain(
      'payment gateway unavailable',
    );
    await page.getByRole('tab', { name: 'Headers' }).click();
    const headers = await page.getByRole('tabpanel').textContent();
    // The failure story the README walks through.
    for (const name of ['x-dead-letter-reason', 'x-attempts', 'x-first-failure-at'])
      expect(headers).toContain(name);
    await page.getByRole('tab', { name: 'Message' }).click();
    await screenshot(page, 'detail');

    await page.getByRole('button', { name: 'Retry…', exact: true }).click();
    await answerReason('the gateway is back', 'Retry');

    // The page polls the item while it is retrying: no reload here.
    await page
      .locator('.status-line .badge[data-status="resolved"]')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const history = await page.locator('.history').textContent();
    expect(history).toContain('Retry sent');
    expect(history).toContain('the gateway is back');
    expect(history).toContain('by operator');
    expect((await shop.waitForStatus(placed.orderId, 'CONFIRMED')).status).toBe('CONFIRMED');

    // The order's story, from the detail's link: it failed at payments, was replayed, completed.
    await page.getByRole('link', { name: placed.orderId }).click();
    await page.locator('.timeline-item[data-event-type="OrderConfirmed"]').waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    const story = await page.locator('.timeline-item .event-type').allTextContents();
    expect(story.indexOf('PaymentRequested')).toBeLessThan(story.indexOf('PaymentCaptured'));
    expect(story.indexOf('PaymentCaptured')).toBeLessThan(story.indexOf('OrderConfirmed'));
    await screenshot(page, 'timeline');
  });

  it("shows an order's timeline: its events in order, with the consumers' outcomes and the dead letter inline", async () => {
    const placed = await shop.placeOrder(`flaky-${randomUUID().slice(0, 8)}`, [
      { sku: 'SKU-0002', quantity: 1 },
    ]);
    const {
      items: [parked],
    } = await deadLettersMatching(placed.orderId, 1);

    await signIn(`#/orders/${placed.orderId}`);
    await page.locator('.timeline-item').first().waitFor();
    const eventTypes = await page.locator('.timeline-item .event-type').allTextContents();
    expect(eventTypes[0]).toBe('OrderPlaced');
    expect(eventTypes.indexOf('PaymentRequested')).toBeGreaterThan(0);
    expect(await page.locator('.consumer-dead-lettered').first().textContent()).toContain(
      'payments',
    );
    await screenshot(page, 'timeline-dead-letter');

    await page
      .locator('.timeline-dead-letter')
      .getByRole('link', { name: /Open dead letter/ })
      .click();
    await page.getByRole('heading', { name: /PaymentRequested/ }).waitFor();
    expect(page.url()).toContain(`#/dead-letters/${parked.id}`);
  });

  it('shows an unreadable message as text (never as markup), and archives and unarchives it with reasons', async () => {
    const marker = `poison-${randomUUID()}`;
    await publishPoison(marker);
    await deadLettersMatching(marker, 2);

    await signIn(`#/dead-letters?q=${marker}&service=billing`);
    await page.locator('tbody tr').first().waitFor();
    await page.getByRole('link', { name: '(unreadable message)' }).click();
    const raw = page.locator('pre.raw');
    await raw.waitFor();
    expect(await raw.textContent()).toContain(
      `<img src=x onerror="window.__injected=1"> ${marker}`,
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__injected')).toBe('undefined');

    await page.getByRole('button', { name: 'Archive…' }).click();
    await answerReason('garbage from a test publisher', 'Archive');
    await page.locator('.status-line .badge[data-status="archived"]').waitFor();

    await page.getByRole('button', { name: 'Unarchive…' }).click();
    await answerReason('archived by mistake', 'Unarchive');
    await page.locator('.status-line .badge[data-status="unresolved"]').waitFor();
    const history = await page.locator('.history').textContent();
    expect(history).toContain('garbage from a test publisher');
    expect(history).toContain('archived by mistake');
    expect(await statusBadge()).toBe('unresolved');
  });

  it('edits and retries an event with invalid data: refuses bad JSON in the page, shows the contract error from ops, and resolves once corrected', async () => {
    const orderId = randomUUID();
    const data = {
      orderId,
      customerId: 'carol',
      items: [{ sku: 'SKU-0001', quantity: 1, unitPrice: { amountCents: 1999, currency: 'EUR' } }],
      total: { amountCents: 1999, currency: 'EUR' },
    };
    const event = createEvent('OrderPlaced', data, {
      source: 'orders',
      correlationId: randomUUID(),
    });
    // What a buggy publisher would send: valid JSON, not the contract.
    await publishEvent(system.broker.url, {
      ...event,
      data: { ...data, customerId: '' },
    } as DomainEvent);
    await deadLettersMatching(orderId, 2);

    await signIn(`#/dead-letters?q=${orderId}&service=billing`);
    await page.getByRole('link', { name: 'OrderPlaced' }).click();
    await page.getByRole('button', { name: 'Edit and retry…' }).click();
    const editor = page.getByLabel('Event data (JSON)');
    const send = page.getByRole('button', { name: 'Send edited message…' });

    await editor.fill('{ "orderId": ');
    expect(await page.locator('#edit-status').textContent()).toContain('Not valid JSON');
    expect(await send.isDisabled()).toBe(true);

    await editor.fill(JSON.stringify({ ...data, customerId: '' }));
    await send.click();
    await answerReason('first attempt at a fix', 'Send');
    const refusal = page.locator('.editor [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/customerId/);
    await screenshot(page, 'edit-and-retry');
    expect(await statusBadge()).toBe('unresolved');

    await editor.fill(JSON.stringify(data, null, 2));
    await send.click();
    await answerReason('customer id was missing', 'Send');
    await page
      .locator('.status-line .badge[data-status="resolved"]')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const history = await page.locator('.history').textContent();
    expect(history).toContain('Edited and retried');
    expect(history).toContain('customer id was missing');
  });

  it('previews how many messages a bulk retry matches, and follows the job to its end', async () => {
    const marker = `bulk-${randomUUID()}`;
    await publishPoison(marker);
    await deadLettersMatching(marker, 2);

    await signIn(`#/retry?q=${marker}`);
    const preview = page.locator('#bulk-preview');
    await preview.getByText('2 messages').waitFor();
    await page.getByLabel('Messages per second').fill('5');
    await screenshot(page, 'bulk-retry');

    await page.getByRole('button', { name: 'Retry 2 messages…' }).click();
    await answerReason('replaying after the fix', 'Start retrying');
    const job = page.locator('.job[data-status="finished"]');
    await job.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await job.locator('.stat', { hasText: 'Matched' }).locator('dd').textContent()).toBe(
      '2',
    );
    expect(await job.locator('.stat', { hasText: 'Sent' }).locator('dd').textContent()).toBe('2');
    await screenshot(page, 'bulk-retry-job');
  });

  it('lists failure groups with their counts and opens a group with its messages', async () => {
    const marker = `group-${randomUUID()}`;
    await publishPoison(marker);
    await deadLettersMatching(marker, 2);

    await signIn('#/groups?open=all');
    const group = page
      .locator('tbody tr', { hasText: 'inventory' })
      .filter({ hasText: 'Unreadable' });
    await group.first().waitFor();
    await screenshot(page, 'groups');

    await group.first().getByRole('link').click();
    await page.locator('tbody tr').first().waitFor();
    const services = await page.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(services.length).toBeGreaterThan(0);
    expect(new Set(services)).toEqual(new Set(['inventory']));
  });

  it('shows every service instance up, from their heartbeats', async () => {
    await signIn('#/services');
    const rows = page.locator('tbody tr[data-status="up"]');
    await waitFor(
      () => rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-service'))),
      (services) =>
        ['orders', 'billing', 'inventory', 'payments'].every((s) => services.includes(s)),
      { timeoutMs: UI_TIMEOUT_MS, description: 'every service up in the console' },
    );
    await screenshot(page, 'instances');
  });
});
