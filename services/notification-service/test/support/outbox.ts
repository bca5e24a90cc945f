// Reading the local stack's outbox as a person's mail client would, and waiting on conditions
// (an email there, a queue drained).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseEml, type ParsedEml } from '../../src/adapters/outbox/eml';

export type OutboxMail = ParsedEml & { file: string };

/** Every message in the outbox folder, parsed from its .eml file; none while the folder does not exist. */
export function readOutbox(dir: string): OutboxMail[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  return names.map((file) => ({ file, ...parseEml(readFileSync(join(dir, file), 'utf8')) }));
}

/** Polls `probe` until it gives a value (not undefined or false), failing after `timeoutMs` with what was awaited. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Messages waiting in a queue plus those in flight: 0 once every message sent to it has been handled. */
export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
