// `npm run setup-stripe-webhook -- --stage <env> [--url <https url>] [--apply]`: registers a
// deployed stage's webhook URL with Stripe for exactly the events the worker handles, and stores
// the signing secret Stripe returns where the webhook function reads it. A dry run unless --apply.
// See docs/deploy.md.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import * as v from 'valibot';
import { DomainError } from '@shared/errors/domain-error';
import { unwrapSecretValue } from '@shared/secrets/secret-provider';
import { LambdaSecretCacheTtlReader } from '../services/stripe-service/src/adapters/aws/lambda-secret-cache-ttl-reader';
import { AwsSecretsManagerSecretStore } from '../services/stripe-service/src/adapters/secrets/aws-secrets-manager-secret-store';
import { HANDLED_STRIPE_EVENT_TYPES } from '../services/stripe-service/src/adapters/stripe/handled-stripe-event-types';
import { StripeCaller } from '../services/stripe-service/src/adapters/stripe/stripe-call';
import { createStripeClient } from '../services/stripe-service/src/adapters/stripe/stripe-client';
import { StripeWebhookEndpointRegistry } from '../services/stripe-service/src/adapters/stripe/stripe-webhook-endpoint-registry';
import { SystemClock } from '../services/stripe-service/src/adapters/system/system-clock';
import type { SecretCacheTtlReader } from '../services/stripe-service/src/application/ports/secret-cache-ttl-reader';
import { SetUpWebhookEndpoint, type WebhookSetupInput, type WebhookSetupMode, type WebhookSetupReport } from '../services/stripe-service/src/application/operations/set-up-webhook-endpoint';
import { fail, finish, parseCommandLine } from './ops/cli';
import { secretId, TargetError } from './ops/target';
import { terraformStack } from './ops/terraform-stack';
import { loadResources, physicalName } from './lib/resources';
import { redactSecrets } from './ops/redact';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run setup-stripe-webhook -- --stage <env> [--url <https url>] [--apply] [--roll | --finish-roll]

Registers the stage's webhook URL with Stripe for exactly the events the events worker handles,
in the API version the SDK reads, or brings the existing endpoint for that URL in line; stores the
signing secret in '{PROJECT_NAME}-<env>-stripe-webhook-secret'. Without --apply nothing changes:
it prints what it would do. The Stripe key is read from '{PROJECT_NAME}-<env>-stripe-secret-key'.

  --stage <env>          dev, staging, prod, …: the deployed stack '{PROJECT_NAME}-<env>'
  --url <https url>      the webhook URL; default: the Terraform output stack.webhook_url of the
                         stage's state: terraform/stack with TF_DATA_DIR
                         terraform/environments/<env>/.terraform (initialised as docs/deploy.md says)
  --apply                make the changes
  --roll                 a new signing secret: a new endpoint beside the old one, disabled, and
                         'new,old' stored (the webhook function accepts both)
  --finish-roll          once every function has read 'new,old' (the secret cache time after --roll):
                         enable the new endpoint, delete the old one, store the new secret alone
  --secret-ttl <s>       the secret cache time to wait for instead of the SECRET_CACHE_TTL_SECONDS
                         the stage's deployed functions run with (read with
                         lambda:GetFunctionConfiguration when a roll needs it)
  --project <name>       default: PROJECT_NAME
  --region <region>      default: AWS_REGION
  --terraform-dir <dir>  read the Terraform output in <dir> instead, with Terraform's own data dir

AWS credentials come from the usual chain; STRIPE_API_URL points at a Stripe-compatible API
instead of Stripe (tests). Secrets are never printed.`;

const { values } = parseCommandLine(USAGE, {
  stage: { type: 'string' },
  url: { type: 'string' },
  apply: { type: 'boolean', default: false },
  roll: { type: 'boolean', default: false },
  'finish-roll': { type: 'boolean', default: false },
  'secret-ttl': { type: 'string' },
  project: { type: 'string' },
  region: { type: 'string' },
  'terraform-dir': { type: 'string' },
});

const STAGE = /^[a-z0-9][a-z0-9-]{0,31}$/;
if (!values.stage) fail(`--stage is required\n\n${USAGE}`, 2);
if (!STAGE.test(values.stage)) fail(`--stage ${values.stage} is not a stage name (lower-case letters, digits and dashes)`, 2);
if (values.roll && values['finish-roll']) fail('--roll and --finish-roll are two steps: run --roll first, --finish-roll later', 2);
const secretTtl = values['secret-ttl'] === undefined ? undefined : Number(values['secret-ttl']);
if (secretTtl !== undefined && !(/^\d+$/.test(values['secret-ttl'] ?? '') && secretTtl <= 86_400)) fail('--secret-ttl is a whole number of seconds, 0 to 86400', 2);
const stage = values.stage;
const projectName = values.project ?? process.env.PROJECT_NAME;
const region = values.region ?? process.env.AWS_REGION;
const mode: WebhookSetupMode = values.roll ? 'roll' : values['finish-roll'] ? 'finish_roll' : 'ensure';

const out = (text: string) => process.stdout.write(redactSecrets(text));

const TerraformStack = v.object({ webhook_url: v.nullable(v.string()) });

/** The stage's webhook URL from its Terraform state, as `terraform output` shows it. */
async function terraformWebhookUrl(dir: string, dataDir?: string): Promise<string> {
  const where = dataDir ? `${dir} with TF_DATA_DIR=${dataDir}` : dir;
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('terraform', [`-chdir=${dir}`, 'output', '-json', 'stack'], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      env: dataDir ? { ...process.env, TF_DATA_DIR: dataDir } : process.env,
    }));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'terraform is not installed' : String((error as { stderr?: string }).stderr ?? error).trim().split('\n').find((l) => l.trim()) ?? 'it failed';
    throw new TargetError(`could not read the webhook URL from Terraform in ${where} (${reason}): run terraform init there, or pass --url`);
  }
  let output: unknown;
  try {
    output = JSON.parse(stdout);
  } catch {
    output = undefined;
  }
  const parsed = v.safeParse(TerraformStack, output);
  if (!parsed.success) throw new TargetError(`the Terraform output stack of ${where} has no webhook_url: pass --url`);
  if (!parsed.output.webhook_url) throw new TargetError(`the stack in ${where} serves no POST /stripe/webhook yet (webhook_url is null): deploy the webhook function first`);
  return parsed.output.webhook_url;
}

/** A failed read says which permission it needs and how to do without it. */
function explained(reader: SecretCacheTtlReader): SecretCacheTtlReader {
  return {
    secretCacheTtlSecondsOf: (functionName) =>
      reader.secretCacheTtlSecondsOf(functionName).catch((error: unknown) => {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new TargetError(`could not read the secret cache time of ${functionName} (lambda:GetFunctionConfiguration in ${region}): ${reason}; or give it with --secret-ttl`);
      }),
  };
}

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(`${text} is not a URL`);
  }
  // Stripe delivers live events only to HTTPS, and a signing secret should never travel in clear.
  if (url.protocol !== 'https:') throw new TargetError(`the webhook URL must be https, not ${url.protocol.replace(':', '')}: ${text}`);
  return text;
}

function print(report: WebhookSetupReport, label: string): void {
  out(`webhook endpoint of ${label}${report.applied || values.apply ? '' : ' (dry run)'}:\n`);
  const verb = report.applied ? 'changed' : 'would';
  for (const change of report.changes) out(`  ${verb}: ${change}\n`);
  for (const note of report.notes) out(`  note: ${note}\n`);
  if (report.changes.length === 0) out(`up to date: nothing changed${report.endpointId ? ` (${report.endpointId})` : ''}\n`);
  else if (!report.applied) out(`dry run: nothing changed; run again with --apply to make ${report.changes.length === 1 ? 'this change' : 'these changes'}\n`);
  else out(`done: ${report.endpointId} delivers ${HANDLED_STRIPE_EVENT_TYPES.length} event types; the signing secret is stored, never shown\n`);
}

async function main(): Promise<number> {
  if (!projectName) throw new TargetError('the project is named by --project or PROJECT_NAME (the repository variable the deploy uses)');
  if (!region) throw new TargetError('the region is given by --region or AWS_REGION');
  const resources = loadResources();
  const secretName = (id: string) => secretId({ projectName, environment: stage }, id, resources);
  const webhookFunction = resources.functions.find((f) => f.routes?.includes('POST /stripe/webhook'));
  if (!webhookFunction?.secrets.includes('stripe_webhook_secret')) throw new TargetError('resources.json has no function serving POST /stripe/webhook with the stripe_webhook_secret secret');
  // Every function that reads the signing secret must have re-read it before a roll is finished.
  const secretReaders = resources.functions.filter((f) => f.secrets.includes('stripe_webhook_secret')).map((f) => physicalName(projectName, stage, f.id));
  const keyId = secretName('stripe_secret_key');
  const webhookSecretId = secretName('stripe_webhook_secret');

  const stack = terraformStack(stage);
  const url = checkedUrl(values.url ?? (await (values['terraform-dir'] ? terraformWebhookUrl(values['terraform-dir']) : terraformWebhookUrl(stack.rootDir, stack.dataDir))));
  const secretsClient = new SecretsManagerClient({ region });
  const lambdaClient = new LambdaClient({ region });
  try {
    const secrets = new AwsSecretsManagerSecretStore(secretsClient);
    const rawKey = await secrets.read(keyId).catch((error: unknown) => {
      throw new TargetError(`could not read ${keyId} from Secrets Manager in ${region}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    });
    if (rawKey === undefined) throw new TargetError(`the Stripe key secret ${keyId} does not exist in ${region} (or has no value): create it first (docs/deploy.md, "Secrets")`);
    const apiKey = unwrapSecretValue(rawKey);
    if (!/^(sk|rk)_(test|live)_/.test(apiKey)) throw new TargetError(`${keyId} does not hold a Stripe secret key (sk_test_…, sk_live_… or a restricted rk_…)`);
    const stripeApiUrl = process.env.STRIPE_API_URL || undefined;
    const caller = new StripeCaller((key) => createStripeClient({ apiKey: key, apiUrl: stripeApiUrl, maxNetworkRetries: 2, timeoutMs: 20_000 }), async () => apiKey);
    const label = `${projectName}-${stage} (${url}) on Stripe ${apiKey.includes('_live_') ? 'live' : 'test'} mode${stripeApiUrl ? ` at ${stripeApiUrl}` : ''}`;
    const setUp = new SetUpWebhookEndpoint(new StripeWebhookEndpointRegistry(caller), secrets, new SystemClock(), explained(new LambdaSecretCacheTtlReader(lambdaClient)));
    const secretCacheTtl: WebhookSetupInput['secretCacheTtl'] = secretTtl === undefined ? { readers: secretReaders } : { seconds: secretTtl };
    const report = await setUp
      .execute({
        url,
        enabledEvents: HANDLED_STRIPE_EVENT_TYPES,
        apiVersion: Stripe.API_VERSION,
        description: `${projectName} ${stage}: Stripe events for the payments service`,
        metadata: { project: projectName, stage },
        secretId: webhookSecretId,
        mode,
        apply: values.apply,
        secretCacheTtl,
      })
      .catch((error: unknown) => {
        // A restricted key needs "Webhook Endpoints: write" as well as being valid.
        if (error instanceof DomainError && error.code === 'payment_provider_misconfigured') {
          throw new TargetError(`Stripe refused the key in ${keyId} (invalid, revoked, or a restricted key without write access to webhook endpoints)`);
        }
        throw error;
      });
    print(report, label);
    return 0;
  } finally {
    secretsClient.destroy();
    lambdaClient.destroy();
  }
}

finish(
  'setup-stripe-webhook',
  main().catch((error: unknown) => {
    // Whatever an SDK puts in a message, a key or signing secret never reaches the terminal.
    if (error instanceof Error) error.message = redactSecrets(error.message);
    throw error;
  }),
);
