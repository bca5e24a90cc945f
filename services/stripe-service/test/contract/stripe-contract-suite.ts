import { randomUUID } from 'node:crypto';

/** A backend a Stripe adapter's contract suite runs on. */
export interface StripeBackend<G> {
  name: string;
  /**
   * False for stripe-mock, which validates every request against Stripe's OpenAPI spec but answers
   * from fixtures: there only "the request is valid and the answer maps" is checked. Cases that
   * need state are not registered for it, and the run lists them.
   */
  stateful: boolean;
  setup(): Promise<{ gateway: G; teardown(): Promise<void> }>;
}

export interface SuiteContext<G> {
  gateway(): G;
  /** Registers a case that needs a stateful backend; on a stateless one it is listed as not run, with why. */
  statefulIt(name: string, why: string, body: () => Promise<void>): void;
  /** Assertions inside a case that only a stateful backend can answer; the case asserts something on every backend. */
  statefully(what: string, assertions: () => Promise<void> | void): Promise<void>;
  key(label: string): string;
}

/** Registers one port's contract suite on one backend. */
export function stripeContractSuite<G>(port: string, backend: StripeBackend<G>, body: (ctx: SuiteContext<G>) => void): void {
  describe(`${port} contract: ${backend.name}`, () => {
    let instance: { gateway: G; teardown(): Promise<void> } | undefined;
    const notRegistered: string[] = [];
    const notChecked: string[] = [];
    beforeAll(async () => {
      instance = await backend.setup();
    }, 60_000);
    afterAll(async () => {
      const lines = [
        ...notRegistered.map((line) => `not run: ${line}`),
        ...notChecked.map((line) => `not checked: ${line}`),
      ];
      if (lines.length > 0) {
        process.stderr.write(`[${port} on ${backend.name}] stateless backend (covered on the stateful ones):\n  - ${lines.join('\n  - ')}\n`);
      }
      await instance?.teardown();
    });
    body({
      gateway: () => {
        if (!instance) throw new Error(`${backend.name} did not start`);
        return instance.gateway;
      },
      statefulIt: (name, why, fn) => {
        if (backend.stateful) it(name, fn);
        else notRegistered.push(`${name} (${why})`);
      },
      statefully: async (what, assertions) => {
        if (backend.stateful) await assertions();
        else notChecked.push(what);
      },
      key: (label) => `${label}-${randomUUID()}`,
    });
  });
}
