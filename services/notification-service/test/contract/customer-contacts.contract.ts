import { randomUUID } from 'node:crypto';
import type { CustomerContacts } from '../../src/application/ports/customer-contacts';

export interface ContactsSubject {
  contacts: CustomerContacts;
  /** Writes a customer record the way the payments service does, with or without an email. */
  addCustomer(userId: string, email: string | undefined): Promise<void>;
}

/** The behaviour every CustomerContacts must have; run against each adapter. */
export function customerContactsContract(name: string, setup: () => Promise<{ subject: ContactsSubject; teardown: () => Promise<void> }>) {
  describe(`CustomerContacts contract: ${name}`, () => {
    let subject: ContactsSubject;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ subject, teardown } = await setup());
    }, 30_000);
    afterAll(async () => teardown());

    const user = () => `user-${randomUUID()}`;

    it('gives the email address on file', async () => {
      const userId = user();
      await subject.addCustomer(userId, 'jane@example.com');
      expect(await subject.contacts.emailOf(userId)).toBe('jane@example.com');
    });

    it('gives nothing for a customer without an address', async () => {
      const userId = user();
      await subject.addCustomer(userId, undefined);
      expect(await subject.contacts.emailOf(userId)).toBeUndefined();
    });

    it('gives nothing for an unknown user', async () => {
      expect(await subject.contacts.emailOf(user())).toBeUndefined();
    });
  });
}
