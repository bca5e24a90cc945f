import { resourceMissing } from './errors';

/** Every object the simulator serves: plain JSON, exactly as it is sent on the wire. */
export interface StripeObject {
  id: string;
  object: string;
  [key: string]: unknown;
}

/** Ids can be chosen by the caller (products), so `__proto__` must stay an ordinary key. */
function setOwn(target: Record<string, StripeObject>, key: string, value: StripeObject): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type Collections = Record<string, Record<string, StripeObject>>;

const KIND_NAMES: Record<string, string> = {
  customer: 'customer',
  payment_intent: 'payment_intent',
  payment_method: 'PaymentMethod',
  charge: 'charge',
  refund: 'refund',
  product: 'product',
  price: 'price',
  event: 'event',
  webhook_endpoint: 'webhook endpoint',
  'checkout.session': 'checkout.session',
  subscription: 'subscription',
  invoice: 'invoice',
  test_helpers_test_clock: 'test clock',
};

/**
 * In-memory object store. Insertion order is kept (JS objects keep string-key order), which
 * gives lists their newest-first order without a sequence field on the objects.
 */
export class Store {
  private collections: Collections = {};
  private readonly changeListeners = new Set<() => void>();

  private coll(collection: string): Record<string, StripeObject> {
    let c = Object.hasOwn(this.collections, collection) ? this.collections[collection] : undefined;
    if (!c) {
      c = {};
      Object.defineProperty(this.collections, collection, { value: c, enumerable: true, writable: true, configurable: true });
    }
    return c;
  }

  insert<T extends StripeObject>(collection: string, obj: T): T {
    setOwn(this.coll(collection), obj.id, obj);
    this.changed();
    return obj;
  }

  get<T extends StripeObject = StripeObject>(collection: string, id: string): T | undefined {
    const c = this.collections[collection];
    return c && Object.hasOwn(c, id) ? (c[id] as T) : undefined;
  }

  require<T extends StripeObject = StripeObject>(collection: string, id: string, param = 'id'): T {
    const found = this.get<T>(collection, id);
    if (!found || found['deleted'] === true) throw resourceMissing(KIND_NAMES[collection] ?? collection, id, param);
    return found;
  }

  /** Replaces an object in place (keeping its list position). */
  put<T extends StripeObject>(collection: string, obj: T): T {
    setOwn(this.coll(collection), obj.id, obj);
    this.changed();
    return obj;
  }

  remove(collection: string, id: string): void {
    Reflect.deleteProperty(this.coll(collection), id);
    this.changed();
  }

  /** Newest first, as Stripe lists are. */
  all<T extends StripeObject = StripeObject>(collection: string): T[] {
    return (Object.values(this.collections[collection] ?? {}) as T[]).reverse();
  }

  /** Newest-first position of any object of a collection, for list cursors outside a filter. */
  rankOf(collection: string): (id: string) => number | undefined {
    let ranks: Map<string, number> | undefined;
    return (id) => {
      ranks ??= new Map(this.all(collection).map((o, i) => [o.id, i]));
      return ranks.get(id);
    };
  }

  findAnyById(id: string): StripeObject | undefined {
    for (const c of Object.values(this.collections)) {
      if (Object.hasOwn(c, id)) return c[id];
    }
    return undefined;
  }

  snapshot(): Collections {
    return this.collections;
  }

  restore(collections: Collections): void {
    this.collections = collections;
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(): void {
    for (const l of this.changeListeners) l();
  }
}
