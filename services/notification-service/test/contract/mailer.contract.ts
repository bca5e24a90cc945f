import { randomUUID } from 'node:crypto';
import type { EmailMessage, Mailer } from '../../src/application/ports/mailer';
import { MailRejectedError } from '../../src/application/notifications/notification-errors';

/** A message as the provider recorded it, read back from the provider itself (not from the adapter). */
export interface RecordedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
  /** Absent where the provider keeps only one body (moto keeps the HTML part). */
  text: string | undefined;
}

export interface MailerSubject {
  mailer: Mailer;
  /** The sender the provider accepts (verified, where it checks). */
  from: string;
  recorded(): Promise<RecordedMail[]>;
}

/** The behaviour every Mailer must have; run against each adapter. */
export function mailerContract(name: string, setup: () => Promise<{ subject: MailerSubject; teardown: () => Promise<void> }>) {
  describe(`Mailer contract: ${name}`, () => {
    let subject: MailerSubject;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ subject, teardown } = await setup());
    }, 30_000);
    afterAll(async () => teardown());

    const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
      from: subject.from,
      to: `customer-${randomUUID().slice(0, 8)}@example.org`,
      subject: 'Your receipt: $20.00',
      text: 'Thank you for your payment.\nAmount paid: $20.00\n',
      html: '<h1>Thank you for your payment</h1><p>Amount paid: <strong>$20.00</strong></p>',
      tags: { billingEventId: `bevt_evt_${randomUUID()}`, template: 'receipt' },
      ...overrides,
    });
    const recordedFor = async (to: string) => (await subject.recorded()).filter((mail) => mail.to.includes(to));

    it('hands one message to the provider, as given, and returns its id', async () => {
      const sent = message();
      const { messageId } = await subject.mailer.send(sent);
      const recorded = await recordedFor(sent.to);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ messageId, from: sent.from, to: [sent.to], subject: sent.subject });
      expect(recorded[0]!.html).toContain('<strong>$20.00</strong>');
      if (recorded[0]!.text !== undefined) expect(recorded[0]!.text).toBe(sent.text);
    });

    it('keeps text that is not ASCII intact, in the subject and the body', async () => {
      const sent = message({ subject: 'Reçu: ¥2,000 — merci', html: '<p>¥2,000 pour Zoë</p>', text: '¥2,000 pour Zoë\n' });
      await subject.mailer.send(sent);
      const [recorded] = await recordedFor(sent.to);
      expect(recorded?.subject).toBe('Reçu: ¥2,000 — merci');
      expect(recorded?.html).toBe('<p>¥2,000 pour Zoë</p>');
    });

    it('gives each message its own id', async () => {
      const ids = await Promise.all([message(), message()].map(async (m) => (await subject.mailer.send(m)).messageId));
      expect(new Set(ids).size).toBe(2);
    });

    it('refuses, for good, a recipient that is not an email address, and records nothing', async () => {
      const before = (await subject.recorded()).length;
      await expect(subject.mailer.send(message({ to: 'not-an-address' }))).rejects.toBeInstanceOf(MailRejectedError);
      expect((await subject.recorded()).length).toBe(before);
    });
  });
}
