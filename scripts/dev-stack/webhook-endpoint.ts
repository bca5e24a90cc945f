// Registers the local API's webhook route with the Stripe simulator through Stripe's own API, the
// way an operator registers the deployed endpoint with Stripe: the signing secret comes back from
// Stripe and goes into the secret store. Earlier local registrations (other ports, other runs) are
// removed so events are not delivered to addresses nobody listens on.
import Stripe from 'stripe';

export async function registerLocalWebhookEndpoint(stripeUrl: string, apiKey: string, webhookUrl: string): Promise<string> {
  const endpoint = new URL(stripeUrl);
  const stripe = new Stripe(apiKey, {
    host: endpoint.hostname,
    port: endpoint.port,
    protocol: endpoint.protocol === 'https:' ? 'https' : 'http',
    telemetry: false,
  });
  for await (const existing of stripe.webhookEndpoints.list({ limit: 100 })) {
    const url = new URL(existing.url);
    if (url.pathname === '/stripe/webhook' && ['127.0.0.1', 'localhost'].includes(url.hostname)) {
      await stripe.webhookEndpoints.del(existing.id);
    }
  }
  const created = await stripe.webhookEndpoints.create({ url: webhookUrl, enabled_events: ['*'], description: 'local stack' });
  if (!created.secret) throw new Error('the Stripe simulator returned a webhook endpoint without a signing secret');
  return created.secret;
}
