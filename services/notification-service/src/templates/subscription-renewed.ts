import type { MessageTemplate } from '../domain/template';

export const subscriptionRenewed: MessageTemplate = {
  id: 'subscription-renewed',
  subject: 'Your {{businessName}} subscription has renewed: {{amount}}',
  text: `Your subscription has renewed and we have collected {{amount}}.

Date: {{date}}
Reference: {{reference}}
{{#invoiceUrl}}Invoice: {{invoiceUrl}}
{{/invoiceUrl}}`,
  html: `<h1 style="font-size: 20px;">Your subscription has renewed</h1>
<p>We have collected <strong>{{amount}}</strong> for your subscription.</p>
<p>Date: {{date}}<br>Reference: {{reference}}</p>
{{#invoiceUrl}}<p><a href="{{invoiceUrl}}">View your invoice</a></p>
{{/invoiceUrl}}`,
};
