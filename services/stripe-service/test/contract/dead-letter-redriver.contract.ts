import { randomUUID } from 'node:crypto';
import type { DeadLetterRedriver, RedriveMethod, RedrivePair } from '../../src/application/ports/dead-letter-redriver';
import type { QueueDepthReader } from '../../src/application/ports/queue-depth-reader';
import type { FakeMessage } from '../fakes/in-memory-dead-letter-queues';

export interface RedriveSubject {
  redriver: DeadLetterRedriver;
  depths: QueueDepthReader;
  /** A fresh queue with its own dead-letter queue. */
  newPair(): Promise<RedrivePair>;
  put(url: string, message: FakeMessage): Promise<void>;
  /** Receives (and deletes) what the queue holds, waiting for up to `expected` messages. */
  drain(url: string, expected: number): Promise<FakeMessage[]>;
  teardown(): Promise<void>;
}

export interface RedriveBackend {
  name: string;
  method: RedriveMethod;
  /** What `supported` must answer on this endpoint. */
  supports: boolean;
  setup(): Promise<RedriveSubject>;
}

const message = (i: number): FakeMessage => ({ body: JSON.stringify({ eventId: `evt_${i}`, text: `üñí ${i}` }), attributes: { eventType: 'payment_intent.succeeded', eventId: `evt_${i}` } });
const sorted = (messages: FakeMessage[]) => [...messages].sort((a, b) => a.body.localeCompare(b.body));

/** What every DeadLetterRedriver (and the QueueDepthReader beside it) must do, on each endpoint. */
export function deadLetterRedriverContract(backend: RedriveBackend) {
  describe(`DeadLetterRedriver contract: ${backend.method} on ${backend.name}`, () => {
    let subject: RedriveSubject;
    beforeAll(async () => {
      subject = await backend.setup();
    }, 60_000);
    afterAll(async () => subject?.teardown());

    it(`says it is ${backend.supports ? '' : 'not '}supported here`, async () => {
      expect(await subject.redriver.supported(await subject.newPair())).toBe(backend.supports);
    });

    if (!backend.supports) return;

    it('moves every dead letter back to its source queue, body and attributes unchanged', async () => {
      const pair = await subject.newPair();
      const sent = [1, 2, 3].map(message);
      for (const m of sent) await subject.put(pair.deadLetter.url, m);
      const progress: number[] = [];
      const outcome = await subject.redriver.redrive(pair, { onProgress: (p) => progress.push(p.moved) });
      expect(outcome).toMatchObject({ method: backend.method, moved: 3, failed: 0, status: 'completed' });
      expect(progress.at(-1)).toBe(3);
      expect(sorted(await subject.drain(pair.source.url, 3))).toEqual(sorted(sent));
      expect(await subject.depths.depth(pair.deadLetter.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it('reports each redrive\'s own moves when one queue is redriven again', async () => {
      const pair = await subject.newPair();
      for (const i of [1, 2, 3]) await subject.put(pair.deadLetter.url, message(i));
      expect(await subject.redriver.redrive(pair)).toMatchObject({ moved: 3 });
      expect(await subject.drain(pair.source.url, 3)).toHaveLength(3);
      for (const i of [4, 5]) await subject.put(pair.deadLetter.url, message(i));
      expect(await subject.redriver.redrive(pair)).toMatchObject({ moved: 2, status: 'completed' });
      expect(sorted(await subject.drain(pair.source.url, 2))).toEqual(sorted([4, 5].map(message)));
    });

    it('moves nothing from an empty dead-letter queue', async () => {
      const pair = await subject.newPair();
      expect(await subject.redriver.redrive(pair)).toMatchObject({ moved: 0, failed: 0, status: 'completed' });
      expect(await subject.depths.depth(pair.source.url)).toMatchObject({ visible: 0 });
    });

    if (backend.method === 'receive_send_delete') {
      it('moves no more than the limit, leaving the rest in the dead-letter queue', async () => {
        const pair = await subject.newPair();
        for (const i of [1, 2, 3, 4, 5]) await subject.put(pair.deadLetter.url, message(i));
        expect(subject.redriver.canLimit).toBe(true);
        expect(await subject.redriver.redrive(pair, { maxMessages: 2 })).toMatchObject({ moved: 2, status: 'completed' });
        expect(await subject.drain(pair.source.url, 2)).toHaveLength(2);
        expect(await subject.drain(pair.deadLetter.url, 3)).toHaveLength(3);
      });
    } else {
      it('says it cannot honour a limit (a move task moves everything)', () => {
        expect(subject.redriver.canLimit).toBe(false);
      });
    }
  });

}

/** What every QueueDepthReader must count. */
export function queueDepthReaderContract(name: string, setup: () => Promise<RedriveSubject>) {
  describe(`QueueDepthReader contract: ${name}`, () => {
    let subject: RedriveSubject;
    beforeAll(async () => {
      subject = await setup();
    }, 60_000);
    afterAll(async () => subject?.teardown());

    it('counts the messages waiting in a queue, and none in a new one', async () => {
      const pair = await subject.newPair();
      expect(await subject.depths.depth(pair.source.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      for (const i of [1, 2]) await subject.put(pair.source.url, message(i));
      expect(await subject.depths.depth(pair.source.url)).toMatchObject({ visible: 2 });
      expect(await subject.depths.depth(pair.deadLetter.url)).toMatchObject({ visible: 0 });
    });
  });
}

export function uniqueQueueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
