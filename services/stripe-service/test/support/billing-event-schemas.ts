import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BILLING_EVENT_TYPES, type BillingEvent, type BillingEventType } from '@shared/events/billing-event';
import { eventSchemaPath } from '../../../../scripts/lib/billing-event-schemas';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let validators: Map<BillingEventType, ValidateFunction> | undefined;

/** Validators of the committed docs/events/<type>.schema.json documents (what consumers read). */
function schemaValidators(): Map<BillingEventType, ValidateFunction> {
  if (!validators) {
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    validators = new Map(BILLING_EVENT_TYPES.map((type) => [type, ajv.compile(JSON.parse(readFileSync(eventSchemaPath(type), 'utf8')) as object)]));
  }
  return validators;
}

/** Every event validates, as the JSON consumers receive, against its type's published schema. */
export function expectPublishedEventsMatchSchemas(events: BillingEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) {
    const validate = schemaValidators().get(event.type);
    const json: unknown = JSON.parse(JSON.stringify(event));
    const valid = validate?.(json) ?? false;
    expect({ type: event.type, valid, errors: validate?.errors ?? [] }).toEqual({ type: event.type, valid: true, errors: [] });
  }
}
