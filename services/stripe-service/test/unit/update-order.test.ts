import { sameSecondOrder, stateFingerprint } from '../../src/domain/update-order';

describe('state fingerprints', () => {
  // Records keep the fingerprint of their last event's starting state (lastStripeEventFrom), so the
  // function must not change between releases: these values were stored by the current one.
  it('are the stored values of earlier releases', () => {
    expect(stateFingerprint(null)).toBe('77074ba412ba3221');
    expect(stateFingerprint({ email: 'a@example.com' })).toBe('d1e7c53df855e070');
    expect(stateFingerprint({ a: [1, 'x', { c: true }], b: 2 })).toBe('9ea92c4cb13600cb');
  });

  it('are always 16 hex digits, leading zeros kept', () => {
    for (let n = 0; n < 300; n += 1) expect(stateFingerprint({ n })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('do not depend on key order or on undefined members', () => {
    const keys = ['a', 'b', 'c', 'd'];
    const orders = [keys, [...keys].reverse(), ['c', 'a', 'd', 'b'], ['b', 'd', 'a', 'c']];
    const prints = orders.map((order) => stateFingerprint(Object.fromEntries(order.map((k) => [k, k.charCodeAt(0)]))));
    expect(new Set(prints).size).toBe(1);
    expect(stateFingerprint({ a: 1, b: undefined })).toBe(stateFingerprint({ a: 1 }));
    expect(stateFingerprint({ a: { y: 1, x: 2 } })).toBe(stateFingerprint({ a: { x: 2, y: 1 } }));
  });

  it('tell different states apart', () => {
    const states: unknown[] = [null, 1, 2, 'x', true, {}, { a: 1 }, { a: 2 }, { b: 1 }, [], [1], [2], [1, 2], [12], { a: 1, b: 2 }, { a: 12 }];
    expect(new Set(states.map(stateFingerprint)).size).toBe(states.length);
  });
});

describe('same-second order', () => {
  const record = { state: 'S', lastFrom: 'P' };
  it('is later for an event starting from the record state', () => {
    expect(sameSecondOrder({ from: 'S', to: 'T' }, record)).toBe('later');
  });
  it('is earlier for an event ending where the record last event started', () => {
    expect(sameSecondOrder({ from: 'Q', to: 'P' }, record)).toBe('earlier');
    expect(sameSecondOrder({ from: undefined, to: 'P' }, record)).toBe('earlier');
  });
  it('is unknown otherwise', () => {
    expect(sameSecondOrder({ from: 'Q', to: 'T' }, record)).toBeUndefined();
    expect(sameSecondOrder({ from: undefined, to: 'S' }, record)).toBeUndefined();
    expect(sameSecondOrder({ from: 'Q', to: 'T' }, { state: 'S', lastFrom: undefined })).toBeUndefined();
  });
});
