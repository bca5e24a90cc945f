// npm run events:schemas: writes docs/events/<type>.schema.json from the billing event contract.
import { mkdirSync, writeFileSync } from 'node:fs';
import { billingEventJsonSchemas, eventSchemaPath, eventSchemasDir } from './lib/billing-event-schemas';
import type { BillingEventType } from '../shared/src/events/billing-event';

mkdirSync(eventSchemasDir, { recursive: true });
for (const [type, document] of Object.entries(billingEventJsonSchemas())) {
  writeFileSync(eventSchemaPath(type as BillingEventType), document);
  console.log(`wrote ${eventSchemaPath(type as BillingEventType)}`);
}
