import { loadResources } from '../../../../scripts/lib/resources';
import { NOTIFYING_EVENT_TYPES } from '../../src/domain/notification';

describe('the notifications queue', () => {
  it('is subscribed to exactly the billing event types that can email, so none is filtered out unseen', () => {
    const subscription = loadResources()
      .topics.flatMap((t) => t.subscriptions)
      .find((s) => s.queue === 'notifications');
    expect([...(subscription?.filterPolicy?.['type'] ?? [])].sort()).toEqual([...NOTIFYING_EVENT_TYPES].sort());
  });
});
