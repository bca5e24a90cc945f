import type { MessageLayout } from '../domain/template';

// A transactional footer: these messages are about the customer's own payments, so they carry no
// unsubscribe link (CAN-SPAM and GDPR treat them as transactional, not marketing).
export const layout: MessageLayout = {
  text: `{{body}}

--
{{businessName}}
You receive this email because of a payment on your {{businessName}} account.
`,
  html: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{subject}}</title></head>
<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; color: #1a1a1a; max-width: 560px; margin: 0 auto; padding: 24px;">
{{body}}
<hr style="border: none; border-top: 1px solid #ddd; margin: 32px 0 16px;">
<p style="font-size: 12px; color: #666;">{{businessName}}<br>You receive this email because of a payment on your {{businessName}} account.</p>
</body>
</html>
`,
};
