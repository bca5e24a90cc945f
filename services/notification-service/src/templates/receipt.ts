import type { MessageTemplate } from '../domain/template';

export const receipt: MessageTemplate = {
  id: 'receipt',
  subject: 'Your receipt from {{businessName}}: {{amount}}',
  text: `Thank you for your payment.

Amount paid: {{amount}}
{{#description}}For: {{description}}
{{/description}}Date: {{date}}
Reference: {{reference}}
`,
  html: `<h1 style="font-size: 20px;">Thank you for your payment</h1>
<table style="border-collapse: collapse;">
<tr><td style="padding: 4px 16px 4px 0;">Amount paid</td><td><strong>{{amount}}</strong></td></tr>
{{#description}}<tr><td style="padding: 4px 16px 4px 0;">For</td><td>{{description}}</td></tr>
{{/description}}<tr><td style="padding: 4px 16px 4px 0;">Date</td><td>{{date}}</td></tr>
<tr><td style="padding: 4px 16px 4px 0;">Reference</td><td>{{reference}}</td></tr>
</table>
`,
};
