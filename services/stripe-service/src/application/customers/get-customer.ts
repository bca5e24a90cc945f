import { NotFoundError } from '@shared/errors/domain-error';
import { isActive, toCustomer, type Customer } from '../../domain/customer';
import type { CustomerRepository } from '../ports/customer-repository';

export class CustomerNotFoundError extends NotFoundError {
  constructor() {
    super('No Stripe customer exists for this user yet; POST /stripe/customer creates it.', 'customer_not_found');
  }
}

/** The caller's Stripe customer mapping. */
export class GetCustomer {
  constructor(private readonly customers: CustomerRepository) {}

  async execute(userId: string): Promise<Customer> {
    const record = await this.customers.get(userId);
    if (!record || !isActive(record)) throw new CustomerNotFoundError();
    return toCustomer(record);
  }
}
