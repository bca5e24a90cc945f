// The hosted checkout page in a real (headless) Chromium: a person's path from the session's url to
// success_url, and the signed webhook that follows.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { startHarness, type Harness } from './helpers';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let h: Harness;
let receiver: WebhookReceiver;
let shop: http.Server;
let shopUrl: string;
let browser: Browser;
let secret: string;

/** The merchant's own pages that checkout sends the buyer back to. */
async function startShop(): Promise<void> {
  shop = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' });
    res.end(`<!doctype html><title>${url.pathname}</title><h1 id="landing">${url.pathname === '/success' ? 'Thanks for your order' : 'Order canceled'}</h1><p id="session">${url.searchParams.get('session_id') ?? ''}</p>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const executablePath = await ensureChromium();
  receiver = await startReceiver();
  await startShop();
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
  secret = (await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['checkout.session.completed'] })).secret!;
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.sim.stop();
  await receiver?.close();
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
  shop?.closeAllConnections();
});

async function session(): Promise<{ id: string; url: string }> {
  const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 2500, product_data: { name: 'Browser T-shirt' } });
  const created = await h.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: price.id, quantity: 1 }],
    customer_email: 'browser@example.com',
    success_url: `${shopUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${shopUrl}/cancel`,
  });
  return { id: created.id, url: created.url! };
}

describe('hosted checkout page in Chromium', () => {
  it('pays with 4242 4242 4242 4242, lands on success_url, and the endpoint gets a verifiable checkout.session.completed', async () => {
    const { id, url } = await session();
    const page = await browser.newPage();
    try {
      await page.goto(url);
      await expect(page.locator('#total').textContent()).resolves.toBe('$25.00');
      await expect(page.locator('#email').inputValue()).resolves.toBe('browser@example.com');

      // A declined card first: the page says so and stays open.
      await page.locator('button[data-card="4000000000000002"]').click();
      await expect(page.locator('#cardNumber').inputValue()).resolves.toBe('4000000000000002');
      await page.fill('#cardExpiry', '12 / 34');
      await page.fill('#cardCvc', '123');
      await page.click('#submit');
      await expect(page.locator('#error').textContent()).resolves.toContain('Your card was declined.');

      await page.fill('#cardNumber', '4242 4242 4242 4242');
      await page.fill('#cardExpiry', '12 / 34');
      await page.fill('#cardCvc', '123');
      await page.fill('#billingName', 'Brow Ser');
      await Promise.all([page.waitForURL(`${shopUrl}/success?session_id=${id}`), page.click('#submit')]);
      await expect(page.locator('#landing').textContent()).resolves.toBe('Thanks for your order');
      await expect(page.locator('#session').textContent()).resolves.toBe(id);
    } finally {
      await page.close();
    }

    const completed = await h.stripe.checkout.sessions.retrieve(id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid' });

    const [got] = await receiver.waitFor(1, 10_000);
    const event = h.stripe.webhooks.constructEvent(got!.body, got!.signature, secret);
    expect(event.type).toBe('checkout.session.completed');
    expect(event.data.object).toMatchObject({ id, status: 'complete', payment_status: 'paid' });
  }, 30_000);

  it('goes back to cancel_url when the buyer cancels', async () => {
    const { id, url } = await session();
    const page = await browser.newPage();
    try {
      await page.goto(url);
      await Promise.all([page.waitForURL(`${shopUrl}/cancel`), page.click('#cancel')]);
      await expect(page.locator('#landing').textContent()).resolves.toBe('Order canceled');
    } finally {
      await page.close();
    }
    expect((await h.stripe.checkout.sessions.retrieve(id)).status).toBe('open');
  }, 30_000);
});
