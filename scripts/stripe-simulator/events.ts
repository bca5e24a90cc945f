// The event log: every state change calls emit(), which stores a Stripe-shaped event and tells
// subscribers (webhook delivery) about it.
import type { Clock } from './clock';
import { newId } from './ids';
import type { Store, StripeObject } from './store';

/** The API version the simulator speaks; the one the bundled `stripe` SDK pins. */
export const API_VERSION = '2026-10-28.endive';

/** Stripe keeps events retrievable for 30 days. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60;

export interface EventRequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

export interface StripeEvent extends StripeObject {
  object: 'event';
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: EventRequestInfo;
  type: string;
}

export type EventListener = (event: StripeEvent) => void;

/** Counts the endpoints an event will be sent to; set by webhook delivery. */
export type PendingWebhookCounter = (type: string) => number;

const NO_REQUEST: EventRequestInfo = { id: null, idempotency_key: null };

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private pendingCounter: PendingWebhookCounter = () => 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an event for a state change. The object is snapshotted, so later changes do not
   * alter what the event says; previous_attributes holds the old values of the changed fields.
   */
  emit(
    type: string,
    object: StripeObject,
    previousAttributes?: Record<string, unknown>,
    request: EventRequestInfo = NO_REQUEST,
  ): StripeEvent {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.clock.nowSeconds(),
      data: {
        object: structuredClone(object),
        ...(previousAttributes !== undefined ? { previous_attributes: structuredClone(previousAttributes) } : {}),
      },
      livemode: false,
      pending_webhooks: this.pendingCounter(type),
      request,
      type,
    };
    this.prune();
    this.store.insert('event', event);
    // `created` is the time of the object's world (a test clock's frozen time for objects on one);
    // retention counts from when the event was recorded on the simulator's own clock.
    this.store.insert(RECORDED_AT, { id: event.id, object: RECORDED_AT, at: this.clock.globalNowSeconds() });
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error('stripe-simulator: event listener failed', err);
      }
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPendingWebhookCounter(counter: PendingWebhookCounter): void {
    this.pendingCounter = counter;
  }

  /** Drops events recorded longer ago than the retention window (simulator time). */
  prune(): void {
    const cutoff = this.clock.globalNowSeconds() - EVENT_RETENTION_SECONDS;
    for (const event of this.store.all<StripeEvent>('event')) {
      const recorded = this.store.get<StripeObject & { at: number }>(RECORDED_AT, event.id)?.at ?? event.created;
      if (recorded < cutoff) {
        this.store.remove('event', event.id);
        this.store.remove(RECORDED_AT, event.id);
      }
    }
  }
}

/** When each event was recorded, in simulator time (kept beside the events, off the wire). */
const RECORDED_AT = 'event_recorded_at';

/** The fields of `before` whose values differ in `after`, with their old values. */
export function previousAttributes(before: StripeObject, after: StripeObject): Record<string, unknown> {
  const prev: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) prev[key] = before[key] ?? null;
  }
  return prev;
}
