// Which time an object lives on: a customer created with `test_clock` (and its subscriptions,
// invoices, payments and events) lives at that clock's frozen time, everything else on the
// simulator's clock.
import type { SimulatorCore } from './core';
import { stateError } from './errors';
import type { StripeObject } from './store';

export const TEST_CLOCK_COLLECTION = 'test_helpers_test_clock';

export interface TestClock extends StripeObject {
  object: 'test_helpers.test_clock';
  created: number;
  deletes_after: number;
  frozen_time: number;
  livemode: false;
  name: string | null;
  status: 'advancing' | 'internal_failure' | 'ready';
  status_details: { advancing?: { target_frozen_time: number } };
}

export function liveTestClock(core: SimulatorCore, id: string): TestClock | undefined {
  const clock = core.store.get<TestClock>(TEST_CLOCK_COLLECTION, id);
  return clock && clock['deleted'] !== true ? clock : undefined;
}

/** The test clock a customer belongs to, if any. */
export function clockIdOfCustomer(core: SimulatorCore, customerId: string | null | undefined): string | null {
  if (!customerId) return null;
  const clock = core.store.get('customer', customerId)?.['test_clock'];
  return typeof clock === 'string' ? clock : null;
}

/** The frozen time of the customer's test clock; undefined when the customer is on the simulator's time. */
export function customerClockTime(core: SimulatorCore, customerId: string | null | undefined): number | undefined {
  const id = clockIdOfCustomer(core, customerId);
  return id === null ? undefined : liveTestClock(core, id)?.frozen_time;
}

/** Runs `work` at the customer's time (its test clock's frozen time, if it has one). */
export function atCustomerTime<T>(core: SimulatorCore, customerId: string | null | undefined, work: () => T): T {
  return core.clock.at(customerClockTime(core, customerId), work);
}

/** Objects on a clock that is advancing cannot change until it is ready again, as in Stripe. */
export function assertClockReady(core: SimulatorCore, customerId: string | null | undefined): void {
  const id = clockIdOfCustomer(core, customerId);
  const clock = id === null ? undefined : liveTestClock(core, id);
  if (clock && clock.status === 'advancing') {
    throw stateError(`The test clock ${clock.id} is advancing; wait until its status is \`ready\` before changing the objects on it.`, 'test_clock_advancing');
  }
}
