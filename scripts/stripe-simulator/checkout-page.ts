// The hosted checkout page: plain HTML (works without JavaScript; a small script only fills in a
// chosen test card), posting back to the simulator.
import { formatAmount } from './amounts';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface CheckoutPageItem {
  description: string;
  quantity: number;
  amount: number;
  interval: string | null;
}

export interface CheckoutPageModel {
  sessionId: string;
  mode: 'payment' | 'subscription';
  status: 'open' | 'complete' | 'expired';
  currency: string;
  total: number;
  items: CheckoutPageItem[];
  email: string;
  name: string;
  error?: string;
  cancelUrl: string | null;
  successUrl: string | null;
}

/** Cards a tester can pick, with what they do. */
export const PAGE_TEST_CARDS: { number: string; label: string }[] = [
  { number: '4242424242424242', label: 'Visa: succeeds' },
  { number: '5555555555554444', label: 'Mastercard: succeeds' },
  { number: '4000002500003155', label: '3-D Secure: asks to authenticate' },
  { number: '4000000000000002', label: 'Declined (generic_decline)' },
  { number: '4000000000009995', label: 'Declined (insufficient_funds)' },
  { number: '4000000000000069', label: 'Declined (expired_card)' },
  { number: '4000000000000127', label: 'Declined (incorrect_cvc)' },
];

const STYLE = `body{font-family:system-ui,-apple-system,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:56rem;margin:2rem auto;display:grid;grid-template-columns:1fr 1fr;gap:2rem;padding:0 1rem}
@media (max-width:720px){main{grid-template-columns:1fr}}
section{background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.1rem;margin:0 0 1rem}.total{font-size:2rem;font-weight:600;margin:.5rem 0 1rem}
table{width:100%;border-collapse:collapse}td{padding:.35rem 0;vertical-align:top}td.amount{text-align:right}
label{display:block;font-size:.85rem;margin:.8rem 0 .3rem}input{width:100%;box-sizing:border-box;padding:.55rem;font-size:1rem;border:1px solid #cfd7df;border-radius:4px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
button{margin-top:1.2rem;width:100%;padding:.75rem;font-size:1rem;border:0;border-radius:4px;background:#635bff;color:#fff;cursor:pointer}
button.secondary{background:#e3e8ee;color:#1a1f36}.error{background:#fde2e1;color:#a41c1c;padding:.7rem;border-radius:4px;margin-bottom:.5rem}
.cards button{margin:.25rem 0;padding:.4rem .6rem;font-size:.85rem;text-align:left;background:#f0f3f7;color:#1a1f36}
.badge{font-size:.75rem;background:#ffde92;padding:.1rem .4rem;border-radius:4px}`;

function itemRows(model: CheckoutPageModel): string {
  return model.items
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.description)}${i.quantity > 1 ? ` × ${i.quantity}` : ''}</td><td class="amount">${escapeHtml(formatAmount(i.amount, model.currency))}${i.interval ? ` / ${escapeHtml(i.interval)}` : ''}</td></tr>`,
    )
    .join('');
}

function summary(model: CheckoutPageModel): string {
  return `<section aria-label="Order summary"><h1>${model.mode === 'subscription' ? 'Subscribe' : 'Pay'} <span class="badge">TEST MODE</span></h1>
<div class="total" id="total">${escapeHtml(formatAmount(model.total, model.currency))}</div>
<table>${itemRows(model)}</table></section>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export function renderCheckoutPage(model: CheckoutPageModel): string {
  const action = `/c/pay/${encodeURIComponent(model.sessionId)}`;
  if (model.status !== 'open') {
    const message = model.status === 'complete' ? 'This checkout session is already complete.' : 'This checkout session has expired.';
    const link = model.status === 'complete' && model.successUrl ? `<p><a id="continue" href="${escapeHtml(model.successUrl)}">Continue</a></p>` : '';
    return page('Checkout', `${summary(model)}<section><h1 id="status">${escapeHtml(message)}</h1>${link}</section>`);
  }
  const cards = PAGE_TEST_CARDS.map(
    (c) => `<button type="button" data-card="${c.number}" onclick="document.getElementById('cardNumber').value=this.dataset.card">${escapeHtml(c.label)} <code>${c.number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code></button>`,
  ).join('');
  const form = `<section aria-label="Payment">
${model.error ? `<div class="error" id="error" role="alert">${escapeHtml(model.error)}</div>` : ''}
<form method="post" action="${escapeHtml(action)}" id="payment-form">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(model.email)}">
<label for="cardNumber">Card number</label><input id="cardNumber" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required>
<div class="row"><div><label for="cardExpiry">Expiry (MM / YY)</label><input id="cardExpiry" name="card_expiry" placeholder="MM / YY" autocomplete="cc-exp" required></div>
<div><label for="cardCvc">CVC</label><input id="cardCvc" name="card_cvc" placeholder="CVC" inputmode="numeric" autocomplete="cc-csc" required></div></div>
<label for="billingName">Name on card</label><input id="billingName" name="billing_name" autocomplete="cc-name" value="${escapeHtml(model.name)}">
<button type="submit" name="action" value="pay" id="submit">${model.mode === 'subscription' ? 'Subscribe' : 'Pay'}</button>
${model.cancelUrl ? `<button type="submit" name="action" value="cancel" id="cancel" class="secondary" formnovalidate>Cancel and go back</button>` : ''}
</form>
<h1 style="margin-top:1.5rem">Test cards</h1><div class="cards">${cards}</div>
<p style="font-size:.8rem">Any future expiry date and any CVC work.</p></section>`;
  return page('Checkout', `${summary(model)}${form}`);
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<section><h1 id="status">${escapeHtml(message)}</h1></section>`);
}
