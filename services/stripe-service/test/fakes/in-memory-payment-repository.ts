import { InvalidCursorError, type PaymentPage, type PaymentRepository } from '../../src/application/ports/payment-repository';
import type { Payment, PaymentStatus } from '../../src/domain/payment';

/** For unit tests of use cases; the PaymentRepository contract suite proves it behaves like the DynamoDB adapter. */
export class InMemoryPaymentRepository implements PaymentRepository {
  private readonly rows = new Map<string, Payment>();

  async get(userId: string, paymentId: string): Promise<Payment | undefined> {
    const row = this.rows.get(`${userId}\u0000${paymentId}`);
    return row ? structuredClone(row) : undefined;
  }

  async findByPaymentIntentId(stripePaymentIntentId: string): Promise<Payment | undefined> {
    const row = [...this.rows.values()].find((p) => p.stripePaymentIntentId === stripePaymentIntentId);
    return row ? structuredClone(row) : undefined;
  }

  async create(payment: Payment): Promise<{ payment: Payment; created: boolean }> {
    const key = `${payment.userId}\u0000${payment.paymentId}`;
    const existing = this.rows.get(key);
    if (existing) return { payment: structuredClone(existing), created: false };
    this.rows.set(key, structuredClone(payment));
    return { payment: structuredClone(payment), created: true };
  }

  async update(payment: Payment, expectedVersion: number): Promise<boolean> {
    const key = `${payment.userId}\u0000${payment.paymentId}`;
    if (this.rows.get(key)?.version !== expectedVersion) return false;
    this.rows.set(key, structuredClone(payment));
    return true;
  }

  async list(userId: string, options: { limit: number; cursor?: string; status?: PaymentStatus }): Promise<PaymentPage> {
    let after: string | undefined;
    if (options.cursor !== undefined) {
      const parsed = (() => {
        try {
          return JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as { p?: unknown };
        } catch {
          return {};
        }
      })();
      if (typeof parsed.p !== 'string' || !/^pay_[0-9a-z]{26}$/.test(parsed.p)) throw new InvalidCursorError();
      after = parsed.p;
    }
    const mine = [...this.rows.values()]
      .filter((p) => p.userId === userId && (after === undefined || p.paymentId < after) && (!options.status || p.status === options.status))
      .sort((a, b) => (a.paymentId < b.paymentId ? 1 : -1));
    const page = mine.slice(0, options.limit).map((p) => structuredClone(p));
    const last = page[page.length - 1];
    return { payments: page, nextCursor: mine.length > options.limit && last ? Buffer.from(JSON.stringify({ p: last.paymentId })).toString('base64url') : undefined };
  }
}
