import type { MessageTemplate } from '../domain/template';

export const subscriptionEnded: MessageTemplate = {
  id: 'subscription-ended',
  subject: 'Your {{businessName}} subscription has ended',
  text: `Your subscription has ended{{#endedOn}} on {{endedOn}}{{/endedOn}}.

{{reason}}
You will not be charged again for it. You can subscribe again at any time.
Reference: {{reference}}
`,
  html: `<h1 style="font-size: 20px;">Your subscription has ended</h1>
<p>Your subscription has ended{{#endedOn}} on {{endedOn}}{{/endedOn}}.</p>
<p>{{reason}}</p>
<p>You will not be charged again for it. You can subscribe again at any time.</p>
<p style="color: #666;">Reference: {{reference}}</p>
`,
};
