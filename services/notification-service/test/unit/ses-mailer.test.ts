import { SESv2ServiceException, type SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../src/adapters/ses/ses-mailer';
import { MailRejectedError, MailUnavailableError } from '../../src/application/notifications/notification-errors';

/** SES's answers that moto cannot be made to give (throttling, quotas, outages), as the SDK raises them. */
function failingWith(name: string, status: number, message = name): SESv2Client {
  const error = new SESv2ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
  return { send: async () => Promise.reject(error) } as unknown as SESv2Client;
}

const message = { from: 'billing@example.com', to: 'a@example.org', subject: 's', text: 't', html: '<p>h</p>', tags: { billingEventId: 'bevt_evt_1', template: 'receipt' } };

describe('SesMailer error mapping', () => {
  it.each([
    ['MessageRejected', 400, 'Email address is on the suppression list', 'ses_message_rejected'],
    ['BadRequestException', 400, 'Invalid address', 'ses_bad_request'],
    ['InvalidParameterValue', 400, 'Missing domain', 'ses_bad_request'],
  ])('%s is a permanent rejection (%s)', async (name, status, text, code) => {
    const sending = new SesMailer(failingWith(name, status, text), 'config-set').send(message);
    await expect(sending).rejects.toBeInstanceOf(MailRejectedError);
    await expect(sending).rejects.toMatchObject({ code });
  });

  it.each([
    ['TooManyRequestsException', 429, 'ses_unavailable'],
    ['LimitExceededException', 400, 'ses_unavailable'],
    ['InternalServiceErrorException', 500, 'ses_unavailable'],
    ['TimeoutError', 0, 'ses_unavailable'],
    ['MessageRejected', 400, 'ses_misconfigured', 'Email address is not verified. The following identities failed the check: billing@example.com'],
    ['MailFromDomainNotVerifiedException', 400, 'ses_misconfigured'],
    ['NotFoundException', 404, 'ses_misconfigured'],
    ['SendingPausedException', 400, 'ses_misconfigured'],
    ['AccountSuspendedException', 400, 'ses_misconfigured'],
  ])('%s is retried (%s)', async (...row: [string, number, string, string?]) => {
    const [name, status, code, text] = row;
    const sending = new SesMailer(failingWith(name, status, text ?? name), undefined).send(message);
    await expect(sending).rejects.toBeInstanceOf(MailUnavailableError);
    await expect(sending).rejects.toMatchObject({ code });
  });

  it('sends with the configuration set, both parts and the tags SES allows', async () => {
    const inputs: unknown[] = [];
    const client = { send: async (command: { input: unknown }) => (inputs.push(command.input), { MessageId: 'ses-1' }) } as unknown as SESv2Client;
    expect(await new SesMailer(client, 'billing-mail').send({ ...message, tags: { billingEventId: 'bevt_evt 1/2', template: 'receipt' } })).toEqual({ messageId: 'ses-1' });
    expect(inputs[0]).toMatchObject({
      FromEmailAddress: 'billing@example.com',
      Destination: { ToAddresses: ['a@example.org'] },
      ConfigurationSetName: 'billing-mail',
      Content: { Simple: { Subject: { Data: 's', Charset: 'UTF-8' }, Body: { Text: { Data: 't' }, Html: { Data: '<p>h</p>' } } } },
      EmailTags: [{ Name: 'billing_event', Value: 'bevt_evt_1_2' }, { Name: 'template', Value: 'receipt' }],
    });
  });
});
