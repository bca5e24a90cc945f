// Where an operator tool points: the local stack (`npm run dev`, described by .data/dev-stack.json)
// or a deployed stack in AWS, named '{PROJECT_NAME}-{ENVIRONMENT}-{name}' as resources.json says,
// reached with the usual AWS credential chain.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsSecretsManagerSecretProvider } from '@shared/secrets/aws-secrets-manager-provider';
import { FileSecretProvider } from '@shared/secrets/file-secret-provider';
import type { SecretProvider } from '@shared/secrets/secret-provider';
import * as v from 'valibot';
import { loadResources, localDataDir, physicalName, type ResourceDefinition } from '../lib/resources';

export interface OpsTarget {
  kind: 'local' | 'aws';
  /** For the operator: which stack this is. */
  label: string;
  region: string;
  projectName: string;
  environment: string;
  /** Emulator endpoints and their dummy credentials; unset in AWS (the SDK's defaults apply). */
  aws: { endpoints?: { dynamodb: string; sqs: string }; credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** A Stripe-compatible API (the simulator); unset for real Stripe. */
  stripeApiUrl: string | undefined;
  secrets: SecretProvider;
  /** Where checkpoints are kept. */
  dataDir: string;
  queueName(id: string): string;
  tableName(id: string): string;
}

const StackFile = v.object({
  region: v.string(),
  projectName: v.string(),
  environment: v.string(),
  endpoints: v.object({ dynamodb: v.string(), sqs: v.string() }),
  tables: v.record(v.string(), v.object({ name: v.string() })),
  queues: v.record(v.string(), v.object({ name: v.string() })),
  secretsFile: v.string(),
  env: v.record(v.string(), v.string()),
});

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/**
 * `--target aws` (or ENVIRONMENT set to anything but `local`) means the deployed stack; otherwise
 * the running local stack, which must be up.
 */
export function resolveTarget(choice: string | undefined, env: NodeJS.ProcessEnv = process.env): OpsTarget {
  const resources = loadResources();
  const dataDir = localDataDir();
  const kind = choice ?? (env.ENVIRONMENT && env.ENVIRONMENT !== 'local' ? 'aws' : 'local');
  if (kind === 'aws') return awsTarget(resources, env, dataDir);
  if (kind !== 'local') throw new TargetError(`--target is local or aws, not ${kind}`);
  const file = join(dataDir, 'dev-stack.json');
  if (!existsSync(file)) {
    throw new TargetError('No local stack is running (no .data/dev-stack.json): start it with `npm run dev`, or set PROJECT_NAME and ENVIRONMENT (or --target aws) for a deployed stack.');
  }
  const parsed = v.safeParse(StackFile, JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new TargetError(`${file} is not a local stack description: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; ')}`);
  const stack = parsed.output;
  const lookup = (kindOf: string, map: Record<string, { name: string }>, id: string) => {
    const found = map[id]?.name;
    if (!found) throw new TargetError(`the local stack has no ${kindOf} ${id}`);
    return found;
  };
  return {
    kind: 'local',
    label: `local stack (${stack.projectName}-${stack.environment}, ${file})`,
    region: stack.region,
    projectName: stack.projectName,
    environment: stack.environment,
    aws: {
      endpoints: stack.endpoints,
      credentials: { accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? 'local' },
    },
    stripeApiUrl: stack.env.STRIPE_API_URL,
    secrets: new FileSecretProvider(stack.secretsFile, 60_000),
    dataDir,
    queueName: (id) => lookup('queue', stack.queues, id),
    tableName: (id) => lookup('table', stack.tables, id),
  };
}

function awsTarget(resources: ResourceDefinition, env: NodeJS.ProcessEnv, dataDir: string): OpsTarget {
  const missing = ['PROJECT_NAME', 'ENVIRONMENT', 'AWS_REGION'].filter((name) => !env[name]);
  if (missing.length > 0) throw new TargetError(`a deployed stack is named by PROJECT_NAME, ENVIRONMENT and AWS_REGION; missing: ${missing.join(', ')}`);
  const projectName = env.PROJECT_NAME!;
  const environment = env.ENVIRONMENT!;
  const region = env.AWS_REGION!;
  const name = (list: { id: string; name: string }[], kindOf: string, id: string) => {
    const found = list.find((item) => item.id === id);
    if (!found) throw new TargetError(`resources.json has no ${kindOf} ${id}`);
    return physicalName(projectName, environment, found.name);
  };
  return {
    kind: 'aws',
    label: `AWS stack ${projectName}-${environment} in ${region}`,
    region,
    projectName,
    environment,
    aws: {},
    stripeApiUrl: env.STRIPE_API_URL || undefined,
    secrets: new AwsSecretsManagerSecretProvider(new SecretsManagerClient({ region }), 60_000),
    dataDir,
    queueName: (id) => name(resources.queues, 'queue', id),
    tableName: (id) => name(resources.tables, 'table', id),
  };
}

/** The queue ids of resources.json, with the short names operators type. */
export function queueIdFor(nameOrAlias: string, resources: ResourceDefinition = loadResources()): string {
  const aliases: Record<string, string> = { events: 'stripe_events', 'stripe-events': 'stripe_events' };
  const id = aliases[nameOrAlias] ?? nameOrAlias.replaceAll('-', '_');
  const queue = resources.queues.find((q) => q.id === id || q.name === nameOrAlias);
  if (!queue) throw new TargetError(`no queue ${nameOrAlias}; queues: ${[...resources.queues.map((q) => q.id), 'events'].join(', ')}`);
  return queue.id;
}

/** The physical name of a secret resources.json declares (by its id), in one stack. */
export function secretId(stack: Pick<OpsTarget, 'projectName' | 'environment'>, id: string, resources: ResourceDefinition = loadResources()): string {
  const found = resources.secrets.find((s) => s.id === id);
  if (!found) throw new TargetError(`resources.json declares no secret ${id}`);
  return physicalName(stack.projectName, stack.environment, found.name);
}
