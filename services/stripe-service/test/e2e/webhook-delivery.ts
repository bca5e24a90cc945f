// Delivering signed events to the webhook route the way Stripe does: many at once, each one
// delivered again until it is answered 2xx, a failed connection or a timeout counting as a failure.
import { Agent, request } from 'node:http';

/**
 * Deliveries beyond this many connections wait in the agent, so that two events' twenty deliveries
 * each are in flight at a time: a thousand at once would overflow the local server's accept queue
 * and the emulators' time budget, and measure the machine, not the ingress.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 40 });

/** Stripe gives up on an attempt after a while too (and delivers again later). */
const ATTEMPT_TIMEOUT_MS = 20_000;

export type DeliveryAnswer = number | 'connection failed';

/** One attempt: the status, or that the connection failed or timed out. */
export function deliverOnce(url: string, body: string, signature: string): Promise<DeliveryAnswer> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent,
      timeout: ATTEMPT_TIMEOUT_MS,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('connection failed'));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve('connection failed'));
    req.end(body);
  });
}

/**
 * Delivers until a 200, at most `maxAttempts` times; any answer but 200, 409 and 503 (and a failed
 * connection) is an error. Returns every answer, the last being the 200.
 */
export async function deliverUntilAccepted(url: string, body: string, sign: () => string, maxAttempts = 20): Promise<DeliveryAnswer[]> {
  const answers: DeliveryAnswer[] = [];
  while (answers.length < maxAttempts) {
    const answer = await deliverOnce(url, body, sign());
    answers.push(answer);
    if (answer === 200) return answers;
    if (answer !== 409 && answer !== 503 && answer !== 'connection failed') throw new Error(`a delivery was answered ${answer}`);
  }
  throw new Error(`a delivery was not accepted in ${maxAttempts} attempts: ${answers.join(', ')}`);
}

/** Closes the kept-alive connections, so the stack can stop. */
export function closeDeliveryConnections(): void {
  agent.destroy();
}
