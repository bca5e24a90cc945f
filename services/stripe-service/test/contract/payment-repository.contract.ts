import { randomUUID } from 'node:crypto';
import type { PaymentRepository } from '../../src/application/ports/payment-repository';
import type { Payment } from '../../src/domain/payment';
import { samplePayment } from '../support/sample-payment';

/** The behaviour every PaymentRepository must have; run against each adapter. */
export function paymentRepositoryContract(name: string, setup: () => Promise<{ subject: PaymentRepository; teardown: () => Promise<void> }>) {
  describe(`PaymentRepository contract: ${name}`, () => {
    let repository: PaymentRepository;
    let teardown: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const started = await setup();
      repository = started.subject;
      teardown = started.teardown;
    }, 60_000);
    afterAll(async () => teardown?.());
    const newUser = () => `user-${randomUUID()}`;

    it('creates a payment, reads it back by key and by intent id, and keeps the first on a second create', async () => {
      const userId = newUser();
      const payment = samplePayment(userId, {
        refunds: [
          { id: 're_1', amount: 100, status: 'succeeded', reason: undefined, createdAt: 'x' },
          // A refund that failed later keeps Stripe's reason and the second of its failure (the order of later charge figures hangs on it).
          { id: 're_2', amount: 50, status: 'failed', reason: 'duplicate', createdAt: 'y', failureReason: 'expired_or_canceled_card', failedAt: 1_767_225_700 },
        ],
      });
      expect(await repository.create(payment)).toEqual({ payment, created: true });
      expect(await repository.get(userId, payment.paymentId)).toEqual(payment);
      expect(await repository.findByPaymentIntentId(payment.stripePaymentIntentId)).toEqual(payment);
      expect(await repository.create({ ...payment, amount: 5 })).toEqual({ payment, created: false });
      expect(await repository.get(newUser(), payment.paymentId)).toBeUndefined();
      expect(await repository.findByPaymentIntentId('pi_unknown')).toBeUndefined();
    });

    it('updates only from the expected version', async () => {
      const payment = samplePayment(newUser());
      await repository.create(payment);
      expect(await repository.update({ ...payment, status: 'succeeded', version: 2 }, 1)).toBe(true);
      expect(await repository.update({ ...payment, status: 'canceled', version: 2 }, 1)).toBe(false);
      expect(await repository.get(payment.userId, payment.paymentId)).toMatchObject({ status: 'succeeded', version: 2 });
    });

    it('lets one of many concurrent updates from one version win', async () => {
      const payment = samplePayment(newUser());
      await repository.create(payment);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => repository.update({ ...payment, amountRefunded: i, version: 2 }, 1)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('lists a user\'s payments newest first in pages, with a status filter', async () => {
      const userId = newUser();
      const made: Payment[] = [];
      for (let i = 0; i < 7; i += 1) made.push((await repository.create(samplePayment(userId, { status: i % 3 === 0 ? 'succeeded' : 'pending' }))).payment);
      await repository.create(samplePayment(newUser()));
      const newestFirst = [...made].reverse().map((p) => p.paymentId);
      const first = await repository.list(userId, { limit: 3 });
      expect(first.payments.map((p) => p.paymentId)).toEqual(newestFirst.slice(0, 3));
      const second = await repository.list(userId, { limit: 3, cursor: first.nextCursor! });
      expect(second.payments.map((p) => p.paymentId)).toEqual(newestFirst.slice(3, 6));
      const third = await repository.list(userId, { limit: 3, cursor: second.nextCursor! });
      expect(third.payments.map((p) => p.paymentId)).toEqual(newestFirst.slice(6));
      expect(third.nextCursor).toBeUndefined();
      const exact = await repository.list(userId, { limit: 7 });
      expect(exact.payments).toHaveLength(7);
      expect(exact.nextCursor).toBeUndefined();
      const succeeded = await repository.list(userId, { limit: 2, status: 'succeeded' });
      const wanted = [...made].reverse().filter((p) => p.status === 'succeeded').map((p) => p.paymentId);
      expect(succeeded.payments.map((p) => p.paymentId)).toEqual(wanted.slice(0, 2));
      const rest = await repository.list(userId, { limit: 2, status: 'succeeded', cursor: succeeded.nextCursor! });
      expect(rest.payments.map((p) => p.paymentId)).toEqual(wanted.slice(2));
      expect(rest.nextCursor).toBeUndefined();
    });

    it('refuses a malformed cursor', async () => {
      await expect(repository.list(newUser(), { limit: 3, cursor: 'not-a-cursor' })).rejects.toMatchObject({ name: 'InvalidCursorError' });
      const forged = Buffer.from(JSON.stringify({ p: '../../x' })).toString('base64url');
      await expect(repository.list(newUser(), { limit: 3, cursor: forged })).rejects.toMatchObject({ name: 'InvalidCursorError' });
    });
  });
}
