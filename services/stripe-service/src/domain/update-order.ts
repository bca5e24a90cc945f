/**
 * Ordering two updates of one Stripe object that share a second. Stripe's `created` has one-second
 * resolution, and two updates of equal rank (the same subscription status, a customer's email) are
 * otherwise told apart only by arrival. A `*.updated` event's `data.previous_attributes` says what
 * the object looked like before it, which places it against the record: an event that starts from
 * the state the record holds comes after the record's last event; one that ends in the state the
 * record's last event started from is what the record has already moved past.
 */

/** A compact, order-independent fingerprint of a state: equal states, equal fingerprints. */
export function stateFingerprint(state: unknown): string {
  const text = canonical(state);
  // Two 32-bit FNV-1a hashes with different offsets: a collision would only reorder one tie.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      // The keys of one object are distinct, so no two compare equal.
      // Stryker disable next-line EqualityOperator: x <= y is x < y for distinct keys
      .sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface UpdateStates {
  /** Fingerprint of the state the event describes. */
  to: string;
  /** Fingerprint of the state before it, when the event says (previous_attributes). */
  from: string | undefined;
}

/**
 * Where an event of the same second and rank as the record's last one stands: `later` when it
 * starts from the record's state, `earlier` when it ends where the record's last event started,
 * undefined when previous_attributes do not tell (then arrival order decides, as before).
 */
export function sameSecondOrder(event: UpdateStates, record: { state: string; lastFrom: string | undefined }): 'later' | 'earlier' | undefined {
  // A state is always a string, so an undefined `from` or `lastFrom` matches nothing.
  if (event.from === record.state) return 'later';
  if (event.to === record.lastFrom) return 'earlier';
  return undefined;
}
