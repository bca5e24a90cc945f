import type { MessageTemplate } from '../domain/template';

export const invoicePaymentFailed: MessageTemplate = {
  id: 'invoice-payment-failed',
  subject: 'Action needed: your {{businessName}} subscription payment of {{amount}} failed',
  text: `We could not collect {{amount}} for your subscription.

Reason: {{reason}}

{{#nextAttempt}}We will try again on {{nextAttempt}}. To avoid an interruption, update your payment method before then.
{{/nextAttempt}}{{^nextAttempt}}We will not try again automatically. Please update your payment method to keep your subscription.
{{/nextAttempt}}{{#invoiceUrl}}
Pay or update your card: {{invoiceUrl}}
{{/invoiceUrl}}`,
  html: `<h1 style="font-size: 20px;">Your subscription payment failed</h1>
<p>We could not collect <strong>{{amount}}</strong> for your subscription.</p>
<p><strong>Reason:</strong> {{reason}}</p>
{{#nextAttempt}}<p>We will try again on {{nextAttempt}}. To avoid an interruption, update your payment method before then.</p>
{{/nextAttempt}}{{^nextAttempt}}<p>We will not try again automatically. Please update your payment method to keep your subscription.</p>
{{/nextAttempt}}{{#invoiceUrl}}<p><a href="{{invoiceUrl}}">Pay or update your card</a></p>
{{/invoiceUrl}}`,
};
