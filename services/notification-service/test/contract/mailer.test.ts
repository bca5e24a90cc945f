import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import * as v from 'valibot';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../../../scripts/testing/emulators';
import { parseEml } from '../../src/adapters/outbox/eml';
import { OutboxMailer } from '../../src/adapters/outbox/outbox-mailer';
import { SesMailer } from '../../src/adapters/ses/ses-mailer';
import { MailUnavailableError } from '../../src/application/notifications/notification-errors';
import { InMemoryMailer } from '../fakes/in-memory-mailer';
import { mailerContract, type RecordedMail } from './mailer.contract';

const FROM = 'billing@example.com';

mailerContract('in-memory', async () => {
  const mailer = new InMemoryMailer();
  const recorded = async (): Promise<RecordedMail[]> =>
    mailer.sent.map((m) => ({ messageId: m.messageId, from: m.from, to: [m.to], subject: m.subject, html: m.html, text: m.text }));
  return { subject: { mailer, from: FROM, recorded }, teardown: async () => {} };
});

mailerContract('outbox folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  const mailer = new OutboxMailer(dir);
  // Read back as a mail client would: every .eml file in the folder, parsed from its bytes.
  const recorded = async (): Promise<RecordedMail[]> =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => {
        const { headers, text, html } = parseEml(readFileSync(join(dir, name), 'utf8'));
        return { messageId: (headers['message-id'] ?? '').replace(/^<|>$/g, ''), from: headers.from ?? '', to: [headers.to ?? ''], subject: headers.subject ?? '', html, text };
      });
  return { subject: { mailer, from: FROM, recorded }, teardown: async () => rmSync(dir, { recursive: true, force: true }) };
});

/** What moto keeps of each SES send, at /moto-api/data.json (ses.Message). */
const MotoSes = v.object({
  ses: v.object({
    Message: v.array(v.object({ id: v.string(), source: v.string(), subject: v.string(), body: v.string(), destinations: v.object({ ToAddresses: v.array(v.string()) }) })),
  }),
});

async function onMoto() {
  const moto = await startMoto();
  const client = new SESv2Client({ region: TEST_REGION, endpoint: moto.endpoint, credentials: TEST_CREDENTIALS });
  return { moto, client };
}

mailerContract('SES v2 on moto', async () => {
  const { moto, client } = await onMoto();
  // moto, like SES, sends only from a verified identity.
  await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
  const recorded = async (): Promise<RecordedMail[]> => {
    const data = v.parse(MotoSes, await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json());
    return data.ses.Message.map((m) => ({ messageId: m.id, from: m.source, to: m.destinations.ToAddresses, subject: m.subject, html: m.body, text: undefined }));
  };
  return {
    subject: { mailer: new SesMailer(client, undefined), from: FROM, recorded },
    teardown: async () => {
      client.destroy();
      await moto.stop();
    },
  };
});

describe('SesMailer on moto', () => {
  it('treats an unverified sender as a fault of the set-up, to be retried and dead-lettered, not as a bad message', async () => {
    const { moto, client } = await onMoto();
    try {
      const mailer = new SesMailer(client, undefined);
      const sending = mailer.send({ from: 'nobody@unverified.example', to: 'a@example.org', subject: 's', text: 't', html: '<p>h</p>', tags: { billingEventId: 'bevt_1', template: 'receipt' } });
      await expect(sending).rejects.toBeInstanceOf(MailUnavailableError);
      await expect(sending).rejects.toMatchObject({ code: 'ses_misconfigured' });
    } finally {
      client.destroy();
      await moto.stop();
    }
  }, 30_000);
});
