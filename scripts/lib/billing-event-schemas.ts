// The JSON Schema of each billing event type, generated from the valibot schemas consumers and the
// events worker share (shared/src/events/billing-event.ts), so the documents never drift from the code.
import { join } from 'node:path';
import { toJsonSchema } from '@valibot/to-json-schema';
import { BILLING_EVENT_TYPES, billingEventSchemaOf, type BillingEventType } from '../../shared/src/events/billing-event';
import { repoRoot } from './resources';

export const eventSchemasDir = join(repoRoot, 'docs', 'events');

export function eventSchemaPath(type: BillingEventType): string {
  return join(eventSchemasDir, `${type}.schema.json`);
}

/** Each type's schema document, as written to docs/events/<type>.schema.json. */
export function billingEventJsonSchemas(): Record<BillingEventType, string> {
  return Object.fromEntries(
    BILLING_EVENT_TYPES.map((type) => {
      const schema = {
        $id: `urn:stripe-service:billing-event:${type}:v1`,
        title: `${type} billing event, version 1`,
        ...toJsonSchema(billingEventSchemaOf(type)),
      };
      return [type, `${JSON.stringify(schema, null, 2)}\n`];
    }),
  ) as Record<BillingEventType, string>;
}
