export interface GatewayEvent {
  id: string;
  type: string;
  /** Epoch seconds. */
  created: number;
  /** The event as the provider sent it, for the worker to interpret. */
  payload: unknown;
}

/** The payment provider's event log, for backfilling missed webhooks. */
export interface EventGateway {
  /** Events newest first. */
  listEvents(input: { types?: string[]; createdAfter?: number; startingAfter?: string; limit: number }): Promise<{ events: GatewayEvent[]; hasMore: boolean }>;
}

export const EVENT_GATEWAY = Symbol.for('EventGateway');
