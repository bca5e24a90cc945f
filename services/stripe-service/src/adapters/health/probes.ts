import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretProvider } from '@shared/secrets/secret-provider';
import type { DependencyProbe } from '../../application/ports/dependency-probe';

/** The table exists and is ACTIVE. */
export class DynamoTableProbe implements DependencyProbe {
  readonly name: string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    name = 'dynamodb',
  ) {
    this.name = name;
  }

  async check(): Promise<void> {
    const result = await this.client.send(new DescribeTableCommand({ TableName: this.tableName })).catch((error: unknown) => {
      throw new Error(`DescribeTable failed (${error instanceof Error ? error.name : 'unknown error'})`);
    });
    const status = result.Table?.TableStatus;
    if (status !== 'ACTIVE') throw new Error(`table status is ${status ?? 'unknown'}`);
  }
}

/** The secret can be read (its value is never reported). */
export class SecretProbe implements DependencyProbe {
  constructor(
    readonly name: string,
    private readonly secrets: SecretProvider,
    private readonly secretId: string,
  ) {}

  async check(): Promise<void> {
    await this.secrets.getSecret(this.secretId).catch(() => {
      throw new Error('the secret could not be read');
    });
  }
}

/**
 * Stripe answers an authenticated read. Uses plain fetch so the health function does not load the
 * SDK; how often it really calls Stripe is SharedProbe's business.
 */
export class StripeApiProbe implements DependencyProbe {
  readonly name = 'stripe';

  constructor(
    private readonly apiKey: () => Promise<string>,
    private readonly apiUrl = 'https://api.stripe.com',
  ) {}

  async check(): Promise<void> {
    const key = await this.apiKey().catch(() => {
      throw new Error('the Stripe API key could not be read');
    });
    const response = await fetch(new URL('/v1/customers?limit=1', this.apiUrl), {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(2_000),
    }).catch((error: unknown) => {
      throw new Error(`Stripe is unreachable (${error instanceof Error ? error.name : 'network error'})`);
    });
    await response.body?.cancel();
    if (response.status === 401) throw new Error('Stripe rejected the API key');
    if (response.status === 429) return; // Reachable and authenticated enough; just busy.
    if (!response.ok) throw new Error(`Stripe answered ${response.status}`);
  }
}
