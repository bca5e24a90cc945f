import type { EventGateway, GatewayEvent } from '../../application/ports/event-gateway';
import type { StripeCaller } from './stripe-call';

/** Stripe's event log (kept 30 days), for backfilling missed webhooks. */
export class StripeEventGateway implements EventGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async listEvents(input: { types?: string[]; createdAfter?: number; startingAfter?: string; limit: number }): Promise<{ events: GatewayEvent[]; hasMore: boolean }> {
    return this.stripe.call(async (stripe, options) => {
      const page = await stripe.events.list(
        {
          limit: input.limit,
          ...(input.types?.length ? { types: input.types } : {}),
          ...(input.createdAfter === undefined ? {} : { created: { gt: input.createdAfter } }),
          ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
        },
        options,
      );
      return { events: page.data.map((event) => ({ id: event.id, type: event.type, created: event.created, payload: event })), hasMore: page.has_more };
    });
  }
}
