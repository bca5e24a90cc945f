// Paying a checkout the way a customer does: headless Chromium on the Stripe simulator's hosted
// page, and a shop whose landing pages (success_url, cancel_url) say where the customer ended up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../../../scripts/stripe-simulator/test/chromium';

export interface HostedCheckout {
  /** The shop's base URL: `${shopUrl}/success` and `${shopUrl}/cancel` answer with their path in `#landing`. */
  shopUrl: string;
  open(checkoutUrl: string): Promise<Page>;
  /** Fills the hosted page with a card and submits it; resolves once the shop's success page is reached. */
  payWithCard(page: Page, cardNumber?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHostedCheckout(): Promise<HostedCheckout> {
  const executablePath = await ensureChromium();
  const shop = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end(`<!doctype html><h1 id="landing">${new URL(req.url ?? '/', 'http://x').pathname}</h1>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    shop.closeAllConnections();
    await new Promise<void>((resolve) => shop.close(() => resolve()));
  };
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (error) {
    await close();
    throw error;
  }
  const opened = browser;
  return {
    shopUrl,
    open: async (checkoutUrl) => {
      const page = await opened.newPage();
      await page.goto(checkoutUrl);
      return page;
    },
    payWithCard: async (page, cardNumber = '4242 4242 4242 4242') => {
      await page.fill('#cardNumber', cardNumber);
      await page.fill('#cardExpiry', '12 / 34');
      await page.fill('#cardCvc', '123');
      await page.fill('#billingName', 'Pay Er');
      await Promise.all([page.waitForURL(`${shopUrl}/success`), page.click('#submit')]);
    },
    close,
  };
}
