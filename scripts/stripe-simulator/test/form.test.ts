import fc from 'fast-check';
import { canonical, parseForm } from '../form';
import { startHarness } from './helpers';

describe('form decoding', () => {
  it('builds nested objects and arrays from bracketed keys', () => {
    expect(parseForm('a[b][c]=1&a[b][d]=2&x=y')).toEqual({ a: { b: { c: '1', d: '2' } }, x: 'y' });
    expect(parseForm('items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2')).toEqual({
      items: [{ price: 'p1', quantity: '2' }, { price: 'p2' }],
    });
    expect(parseForm('expand[]=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
    expect(parseForm('expand[0]=a&expand[1]=b')).toEqual({ expand: ['a', 'b'] });
    // Indices order numerically, not as text.
    expect(parseForm('l[10]=k&l[2]=c&l[1]=b').l).toEqual(['b', 'c', 'k']);
    expect(parseForm('metadata[note]=a%26b%3Dc&description=')).toEqual({ metadata: { note: 'a&b=c' }, description: '' });
    expect(parseForm('name=J%C3%BCrgen+M')).toEqual({ name: 'Jürgen M' });
    expect(parseForm('')).toEqual({});
    const hostile = parseForm('__proto__[polluted]=yes&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(hostile))).toEqual(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":"1"}}}'));
  });

  it('compares parameters independently of key order', () => {
    expect(canonical(parseForm('a=1&b[c]=2&b[d]=3'))).toBe(canonical(parseForm('b[d]=3&a=1&b[c]=2')));
    expect(canonical(parseForm('a=1'))).not.toBe(canonical(parseForm('a=2')));
  });
});

describe('metadata through the SDK', () => {
  it('round-trips arbitrary keys and values', async () => {
    const { sim, stripe } = await startHarness();
    try {
      const key = fc.string({ minLength: 1, maxLength: 40 }).filter((k) => !/[[\]]/.test(k));
      const value = fc.string({ minLength: 1, maxLength: 500 });
      await fc.assert(
        fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 10 }), async (metadata) => {
          const customer = await stripe.customers.create({ metadata });
          expect(customer.metadata).toEqual(metadata);
        }),
        { numRuns: 40 },
      );
      // Digit keys are hash keys where Stripe expects a hash (stripe-mock accepts `metadata[0]=a` too).
      expect((await stripe.customers.create({ metadata: { '0': ' ', '1': 'b' } })).metadata).toEqual({ '0': ' ', '1': 'b' });
      const odd = await stripe.customers.create({ metadata: JSON.parse('{"__proto__":"p","constructor":"c","a b&c=d":"e"}') as Record<string, string> });
      expect(Object.keys(odd.metadata).sort()).toEqual(['__proto__', 'a b&c=d', 'constructor'].sort());
    } finally {
      await sim.stop();
    }
  });
});

describe('hostile request bodies', () => {
  it('answer 200 or a Stripe-shaped 4xx, never a 500', async () => {
    const { sim } = await startHarness();
    try {
      const part = fc.oneof(
        fc.constantFrom('email', 'name', 'metadata', 'metadata[a]', 'address[city]', 'preferred_locales[]', 'expand[]', 'a[b][c]', '[', ']', '[]', '%', '&', '=', 'phone'),
        fc.string({ maxLength: 12 }),
      );
      const body = fc.array(fc.tuple(part, fc.string({ maxLength: 20 })), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('/v1/customers', '/v1/payment_intents', '/v1/prices', '/v1/refunds'), async (text, path) => {
          const res = await fetch(`${sim.url}${path}`, {
            method: 'POST',
            headers: { Authorization: 'Bearer sk_test_fuzz', 'Content-Type': 'application/x-www-form-urlencoded' },
            body: text,
          });
          const json = (await res.json()) as { error?: { type: string; message: string } };
          expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
          if (res.status !== 200) {
            expect(json.error?.type).toBe('invalid_request_error');
            expect(typeof json.error?.message).toBe('string');
          }
        }),
        { numRuns: 150 },
      );
    } finally {
      await sim.stop();
    }
  });
});
