import type { MessageTemplate } from '../domain/template';

// Stripe asks the merchant to reach the customer for another way to return the money, so the
// notice promises that contact rather than a date.
export const refundFailed: MessageTemplate = {
  id: 'refund-failed',
  subject: 'Your refund of {{amount}} from {{businessName}} could not be completed',
  text: `We tried to refund {{amount}} of your payment of {{paid}}, but your bank could not accept it.
{{reason}}

The money has not reached your account. We will contact you to arrange another way to return it.
Reference: {{reference}}
`,
  html: `<h1 style="font-size: 20px;">Your refund of {{amount}} could not be completed</h1>
<p>We tried to refund <strong>{{amount}}</strong> of your payment of {{paid}}, but your bank could not accept it.</p>
<p>{{reason}}</p>
<p>The money has not reached your account. We will contact you to arrange another way to return it.</p>
<p style="color: #666;">Reference: {{reference}}</p>
`,
};
