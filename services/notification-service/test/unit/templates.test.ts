import { planNotification, type NotificationKind } from '../../src/domain/notification';
import { renderMessage, renderPart, TemplateError, type RenderedMessage } from '../../src/domain/template';
import { layout, TEMPLATES } from '../../src/templates/index';
import { failureEvent, invoiceEvent, receiptEvent, refundEvent, refundFailedEvent, subscriptionEvent } from '../support/billing-events';
import type { BillingEvent } from '@shared/events/billing-event';

const BUSINESS = 'Acme Widgets';

function render(event: BillingEvent): RenderedMessage {
  const plan = planNotification(event);
  if (!plan.send) throw new Error(`expected ${event.type} to notify: ${plan.reason}`);
  return renderMessage(TEMPLATES[plan.kind], layout, { ...plan.values, businessName: BUSINESS });
}

/** The HTML part as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
const visible = (html: string) =>
  html
    .replace(/<title>[\s\S]*?<\/title>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

const covered = new Set<NotificationKind>();

function expectBoth(message: RenderedMessage, ...phrases: string[]) {
  for (const phrase of phrases) {
    expect(message.text).toContain(phrase);
    expect(visible(message.html)).toContain(phrase);
  }
  // The transactional footer: the business, and no unsubscribe link.
  expect(message.text).toContain(`--\n${BUSINESS}\n`);
  expect(visible(message.html)).toContain(`You receive this email because of a payment on your ${BUSINESS} account.`);
  expect(`${message.text}${message.html}`.toLowerCase()).not.toContain('unsubscribe');
  expect(message.html).toMatch(/^<!doctype html>/);
  expect(`${message.subject}${message.text}${message.html}`).not.toMatch(/\{\{|\}\}|undefined|null|NaN/);
}

describe('message templates', () => {
  it('receipt: the amount paid, what for, the date and our reference', () => {
    const message = render(receiptEvent('u1', { description: 'Annual plan' }));
    covered.add('receipt');
    expect(message.subject).toBe('Your receipt from Acme Widgets: $20.00');
    expectBoth(message, 'Amount paid', '$20.00', 'Annual plan', 'December 2, 2026', 'pay_01TEST');
  });

  it('receipt: a zero-decimal currency is shown in whole units, and no description line without one', () => {
    const message = render(receiptEvent('u1', { amount: 2000, amountReceived: 2000, currency: 'jpy', paymentId: null, paymentIntentId: 'pi_jp' }));
    expectBoth(message, '¥2,000', 'pi_jp');
    expect(message.text).not.toContain('For:');
    expect(message.html).not.toContain('>For<');
  });

  it('payment failed: the amount and the reason in plain words, no decline code', () => {
    const message = render(failureEvent('u1'));
    covered.add('payment_failed');
    expect(message.subject).toBe('Your payment of $20.00 to Acme Widgets did not go through');
    expectBoth(message, '$20.00', 'Your card has insufficient funds.', 'You have not been charged.');
    expect(message.text).not.toContain('insufficient_funds');
  });

  it('payment failed: a decline that hints at fraud screening reads as a plain decline', () => {
    const message = render(failureEvent('u1', { failure: { code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' } }));
    expectBoth(message, 'Your bank declined the payment.');
    expect(message.text).not.toMatch(/stolen/i);
  });

  it('refund: what was refunded, in total so far, and what remains charged', () => {
    const message = render(refundEvent('u1', { amountReceived: 2000, amountRefunded: 800, refund: { refundId: 're_2', amount: 300 } }));
    covered.add('refund');
    expect(message.subject).toBe('Acme Widgets refunded $3.00');
    expectBoth(message, 'We have refunded $3.00 of your payment of $20.00.', 'Total refunded so far', '$8.00', 'Remaining charge', '$12.00');
    expect(message.text).not.toContain('refunded in full');
  });

  it('refund: a full refund says so instead of a remaining charge', () => {
    const message = render(refundEvent('u1', { status: 'refunded', amountReceived: 2000, amountRefunded: 2000, refund: { refundId: 're_3', amount: 2000 } }));
    expectBoth(message, 'We have refunded $20.00', 'Your payment has been refunded in full.');
    expect(message.text).not.toContain('Remaining charge');
  });

  it('refund failed: the refund that did not reach the customer, why in plain words, and that we will be in touch', () => {
    const message = render(refundFailedEvent('u1', { amountReceived: 2000, refund: { refundId: 're_f', amount: 1200, failureReason: 'expired_or_canceled_card' } }));
    covered.add('refund_failed');
    expect(message.subject).toBe('Your refund of $12.00 from Acme Widgets could not be completed');
    expectBoth(
      message,
      'We tried to refund $12.00 of your payment of $20.00, but your bank could not accept it.',
      'The card the payment was made with has expired or been canceled.',
      'We will contact you to arrange another way to return it.',
      'Reference: pay_01TEST',
    );
  });

  it('refund failed: a lost or stolen card, or a reason not given, reads as a plain refusal; no amount, no message', () => {
    for (const failureReason of ['lost_or_stolen_card', null, undefined]) {
      const message = render(refundFailedEvent('u1', { refund: { refundId: 're_f', amount: 500, ...(failureReason === undefined ? {} : { failureReason }) } }));
      expectBoth(message, 'The bank declined the refund.');
      expect(`${message.text}${message.html}`).not.toMatch(/stolen|lost/i);
    }
    expect(planNotification(refundFailedEvent('u1', { refund: null }))).toEqual({ send: false, reason: 'the failed refund has no amount' });
  });

  it('subscription payment failed: the amount, the reason, the next attempt and the link to pay', () => {
    const message = render(invoiceEvent('invoice.payment_failed'));
    covered.add('invoice_payment_failed');
    expect(message.subject).toBe('Action needed: your Acme Widgets subscription payment of €15.00 failed');
    expectBoth(message, '€15.00', 'Your card has expired.', 'We will try again on December 5, 2026.');
    expect(message.text).toContain('Pay or update your card: https://invoice.stripe.com/i/test');
    expect(message.html).toContain('<a href="https://invoice.stripe.com/i/test">');
  });

  it('subscription payment failed: without a next attempt it says no retry will come', () => {
    const message = render(invoiceEvent('invoice.payment_failed', 'u1', { nextPaymentAttempt: null, hostedInvoiceUrl: null }));
    expectBoth(message, 'We will not try again automatically.');
    expect(message.text).not.toContain('http');
  });

  it('subscription renewed: the amount collected and the invoice', () => {
    const message = render(invoiceEvent('invoice.paid'));
    covered.add('subscription_renewed');
    expect(message.subject).toBe('Your Acme Widgets subscription has renewed: €15.00');
    expectBoth(message, '€15.00', 'in_test', 'December 2, 2026');
  });

  it('subscription ended: canceled on request, or expired for failed payments', () => {
    const canceled = render(subscriptionEvent('subscription.canceled'));
    covered.add('subscription_ended');
    expect(canceled.subject).toBe('Your Acme Widgets subscription has ended');
    expectBoth(canceled, 'Your subscription has ended on December 2, 2026.', 'It was canceled as requested.', 'sub_test');
    expectBoth(render(subscriptionEvent('subscription.expired')), 'It ended because its payments could not be collected.');
  });

  it('escapes what comes from data in the HTML part, and leaves the text part as written', () => {
    const message = render(receiptEvent('u1', { description: '<script>alert("x")</script> & co' }));
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(message.html).not.toContain('<script>');
    expect(message.text).toContain('For: <script>alert("x")</script> & co');
  });

  it('has a test above for every template', () => {
    expect([...covered].sort()).toEqual(Object.keys(TEMPLATES).sort());
  });
});

describe('the template language', () => {
  it('fails on a name that was not supplied, so a typo in a template cannot mail a blank', () => {
    expect(() => renderPart('Paid {{amonut}}', { amount: '$1.00' })).toThrow(TemplateError);
  });

  it('fails on a value used outside its section when it is absent', () => {
    expect(() => renderPart('Paid {{amount}}', { amount: undefined })).toThrow(TemplateError);
  });

  it('keeps a section only when its value is present, and an inverted one only when it is absent', () => {
    const source = '{{#note}}Note: {{note}}{{/note}}{{^note}}no note{{/note}}';
    expect(renderPart(source, { note: 'hi' })).toBe('Note: hi');
    expect(renderPart(source, { note: undefined })).toBe('no note');
    expect(renderPart(source, { note: '' })).toBe('no note');
  });

  it('fails on an unclosed tag', () => {
    expect(() => renderPart('{{#note}}open', { note: 'x' })).toThrow(TemplateError);
  });
});
