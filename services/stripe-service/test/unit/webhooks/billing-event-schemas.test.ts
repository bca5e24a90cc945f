import { readFileSync } from 'node:fs';
import { BILLING_EVENT_TYPES, billingEventSchemaOf } from '@shared/events/billing-event';
import * as v from 'valibot';
import { billingEventJsonSchemas, eventSchemaPath } from '../../../../../scripts/lib/billing-event-schemas';

describe('docs/events JSON Schemas', () => {
  it('are the ones generated from the billing event contract (npm run events:schemas writes them)', () => {
    const generated = billingEventJsonSchemas();
    for (const type of BILLING_EVENT_TYPES) expect({ type, document: readFileSync(eventSchemaPath(type), 'utf8') }).toEqual({ type, document: generated[type] });
  });

  it('pin each type: an event of one type does not pass as another', () => {
    const schema = billingEventSchemaOf('payment.successful');
    expect(v.safeParse(schema, { type: 'payment.failed' }).success).toBe(false);
    expect(JSON.parse(generatedFor('subscription.canceled'))).toMatchObject({ properties: { type: { const: 'subscription.canceled' } }, required: expect.arrayContaining(['id', 'type', 'userId', 'data']) });
  });
});

function generatedFor(type: (typeof BILLING_EVENT_TYPES)[number]): string {
  return billingEventJsonSchemas()[type];
}
