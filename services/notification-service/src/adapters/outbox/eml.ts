import { randomBytes } from 'node:crypto';
import type { EmailMessage } from '../../application/ports/mailer';

/** RFC 2047 encoded-word for a header that is not plain ASCII. */
function headerText(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Base64 body lines of at most 76 characters (RFC 2045). */
function base64Lines(value: string): string {
  return (Buffer.from(value, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/**
 * The message as an RFC 5322 file (multipart/alternative, text then HTML, both UTF-8 in base64):
 * what a mail client opens, and what SES would have put on the wire.
 */
export function toEml(message: EmailMessage, messageId: string, date: Date): string {
  const boundary = `=_${randomBytes(12).toString('hex')}`;
  return [
    `From: ${message.from}`,
    `To: ${message.to}`,
    `Subject: ${headerText(message.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    `X-Billing-Event-Id: ${message.tags.billingEventId}`,
    `X-Template: ${message.tags.template}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export interface ParsedEml {
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

/** Reads back a file written by toEml (the outbox page and the tests use it; it is not a general MIME parser). */
export function parseEml(source: string): ParsedEml {
  const [head = '', ...rest] = source.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeHeader(line.slice(colon + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? rest.join('\r\n\r\n').split(`--${boundary}`) : [];
  const part = (type: string) => {
    const found = parts.find((p) => p.includes(`Content-Type: ${type}`));
    const body = found?.split('\r\n\r\n')[1] ?? '';
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  };
  return { headers, text: part('text/plain'), html: part('text/html') };
}
