import type { MessageTemplate } from '../domain/template';

export const refund: MessageTemplate = {
  id: 'refund',
  subject: '{{businessName}} refunded {{refunded}}',
  text: `We have refunded {{refunded}} of your payment of {{paid}}.

{{#remaining}}Total refunded so far: {{totalRefunded}}
Remaining charge: {{remaining}}
{{/remaining}}{{^remaining}}Your payment has been refunded in full.
{{/remaining}}
Refunds usually reach your account within 5 to 10 business days, depending on your bank.
Reference: {{reference}}
`,
  html: `<h1 style="font-size: 20px;">We have refunded {{refunded}}</h1>
<p>We have refunded <strong>{{refunded}}</strong> of your payment of {{paid}}.</p>
{{#remaining}}<table style="border-collapse: collapse;">
<tr><td style="padding: 4px 16px 4px 0;">Total refunded so far</td><td>{{totalRefunded}}</td></tr>
<tr><td style="padding: 4px 16px 4px 0;">Remaining charge</td><td><strong>{{remaining}}</strong></td></tr>
</table>
{{/remaining}}{{^remaining}}<p>Your payment has been refunded in full.</p>
{{/remaining}}<p>Refunds usually reach your account within 5 to 10 business days, depending on your bank.</p>
<p style="color: #666;">Reference: {{reference}}</p>
`,
};
