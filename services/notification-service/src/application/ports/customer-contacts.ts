/** Where the worker learns how to reach a customer (read only: the customers table belongs to the payments service). */
export interface CustomerContacts {
  /** The email address on file for our user id, or undefined when there is none (or no such customer). */
  emailOf(userId: string): Promise<string | undefined>;
}

export const CUSTOMER_CONTACTS = Symbol.for('CustomerContacts');
