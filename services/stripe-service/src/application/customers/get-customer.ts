import { isActive, toCustomer, type Customer } from '../../domain/customer';
import type { CustomerRepository } from '../ports/customer-repository';
import { CustomerNotFoundError } from './customer-errors';

/** The caller's Stripe customer mapping. */
export class GetCustomer {
  constructor(private readonly customers: CustomerRepository) {}

  async execute(userId: string): Promise<Customer> {
    const record = await this.customers.get(userId);
    if (!record || !isActive(record)) throw new CustomerNotFoundError();
    return toCustomer(record);
  }
}
