import type { CustomerContacts } from '../../src/application/ports/customer-contacts';

export class InMemoryCustomerContacts implements CustomerContacts {
  private readonly emails = new Map<string, string | undefined>();

  /** A customer record, with or without an email address. */
  add(userId: string, email: string | undefined): void {
    this.emails.set(userId, email);
  }

  async emailOf(userId: string): Promise<string | undefined> {
    return this.emails.get(userId) || undefined;
  }
}
