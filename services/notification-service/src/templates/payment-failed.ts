import type { MessageTemplate } from '../domain/template';

export const paymentFailed: MessageTemplate = {
  id: 'payment-failed',
  subject: 'Your payment of {{amount}} to {{businessName}} did not go through',
  text: `We could not take your payment of {{amount}}.

Reason: {{reason}}

You have not been charged. You can try again with the same card or another one.
Reference: {{reference}}
`,
  html: `<h1 style="font-size: 20px;">Your payment did not go through</h1>
<p>We could not take your payment of <strong>{{amount}}</strong>.</p>
<p><strong>Reason:</strong> {{reason}}</p>
<p>You have not been charged. You can try again with the same card or another one.</p>
<p style="color: #666;">Reference: {{reference}}</p>
`,
};
