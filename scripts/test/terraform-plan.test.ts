// Terraform core with the AWS provider's real schema (the stand-in provider of
// scripts/terraform-provider-standin, since the real one cannot be downloaded here): every module,
// example and the stack root must pass `terraform validate`, and the stack's `plan` for each
// environment (its terraform/environments/<env>/<env>.tfvars) must create exactly what
// services/stripe-service/resources.json describes, with that environment's settings. The expectations are derived from
// that file, so a function, table, queue or topic added there is checked here without an edit.
// Needs terraform on PATH (a failure under CI, "not run" elsewhere) and the stand-in, which
// `node scripts/ensure-tools.mjs test` builds.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadResources, physicalName, repoRoot, resourcesPath, type ResourceDefinition } from '../lib/resources';
import { checksNeeding, requireTool } from '../testing/tools';

const terraformRoot = join(repoRoot, 'terraform');
const environments = ['dev', 'staging', 'prod'] as const;
type Environment = (typeof environments)[number];
const project = 'eislett-education';

/** Every folder Terraform can be run in: modules, their examples, the stack root. */
function terraformDirs(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (readdirSync(dir).some((f) => f.endsWith('.tf'))) found.push(relative(terraformRoot, dir));
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!entry.startsWith('.') && statSync(path).isDirectory()) walk(path);
    }
  };
  walk(terraformRoot);
  return found.sort();
}

const withTerraform = checksNeeding('terraform');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

// The copy's root, laid out like the repository so that the stack's relative paths to
// resources.json hold; Terraform writes .terraform/, lock files and plans there, not in the tree.
const work = mkdtempSync(join(tmpdir(), 'tf-standin-'));
const cliConfig = join(work, 'terraformrc');
const packages = join(work, 'dist');
const copiedResources = join(work, 'services', 'stripe-service', 'resources.json');
// The expectations come from the copy that was planned, not from a file that may have moved on since.
const definition = () => loadResources(copiedResources);

function terraform(cwd: string, args: string[], dataDir?: string): Run {
  const result = spawnSync('terraform', [...args, '-no-color'], {
    cwd,
    encoding: 'utf8',
    // No network, no user configuration, no shared plugin cache: only the stand-in is reachable.
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_PLUGIN_CACHE_DIR: '',
      // Each environment's own working data (backend, state path), as docs/deploy.md keeps it.
      ...(dataDir ? { TF_DATA_DIR: dataDir } : {}),
    },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function init(dir: string, backend: { dataDir: string; statePath: string } | false): void {
  const args = ['init', '-input=false', `-plugin-dir=${requireTool('terraform-plugins')}`];
  if (!backend) args.push('-backend=false');
  else args.push(`-backend-config=path=${backend.statePath}`);
  const result = terraform(dir, args, backend ? backend.dataDir : undefined);
  if (result.status !== 0) throw new Error(`terraform init in ${relative(work, dir)} failed:\n${result.stderr}${result.stdout}`);
}

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
}

function validate(dir: string): { valid: boolean; diagnostics: Diagnostic[] } {
  init(dir, false);
  const result = terraform(dir, ['validate', '-json']);
  const parsed = JSON.parse(result.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
  return parsed;
}

beforeAll(() => {
  writeFileSync(cliConfig, '');
  cpSync(terraformRoot, join(work, 'terraform'), { recursive: true, filter: (source) => !/[\\/]\.terraform([\\/]|$)|\.tfstate|\.terraform\.lock\.hcl$/.test(source) });
  mkdirSync(join(work, 'services', 'stripe-service'), { recursive: true });
  cpSync(resourcesPath, copiedResources);
  // filebase64sha256 reads each function's zip at plan time; any bytes will do.
  mkdirSync(packages, { recursive: true });
  for (const fn of definition().functions) writeFileSync(join(packages, `${fn.id}.zip`), `placeholder for ${fn.id}\n`);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('terraform validate with the AWS provider schema', () => {
  withTerraform.each(terraformDirs().map((dir) => [dir]))(
    '%s is valid',
    (dir) => {
      const result = validate(join(work, 'terraform', dir));
      expect({ dir, valid: result.valid, errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.summary}: ${d.detail ?? ''}`) }).toEqual({
        dir,
        valid: true,
        errors: [],
      });
    },
    180_000,
  );

  withTerraform.it(
    'a misspelt argument, a missing required argument and a wrong nested block are refused',
    () => {
      // The check above is only worth something if the schema catches what a first deploy would.
      const dir = join(work, 'broken');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'main.tf'),
        [
          'terraform {',
          '  required_providers {',
          '    aws = { source = "hashicorp/aws", version = "5.99.1" }',
          '  }',
          '}',
          'resource "aws_sqs_queue" "typo" {',
          '  visibility_timeout = 30',
          '}',
          'resource "aws_lambda_function" "no_role" {',
          '  function_name = "f"',
          '}',
          'resource "aws_dynamodb_table" "two_recoveries" {',
          '  name     = "t"',
          '  hash_key = "id"',
          '  point_in_time_recovery {',
          '    enabled = true',
          '  }',
          '  point_in_time_recovery {',
          '    enabled = false',
          '  }',
          '}',
          '',
        ].join('\n'),
      );
      const result = validate(dir);
      expect(result.valid).toBe(false);
      const summaries = result.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n');
      expect(summaries).toMatch(/Unsupported argument: An argument named "visibility_timeout" is not expected here/);
      expect(summaries).toMatch(/Missing required argument: The argument "role" is required/);
      expect(summaries).toMatch(/Too many point_in_time_recovery blocks/);
    },
    180_000,
  );
});

interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  change: { actions: string[]; after: Record<string, unknown> | null; after_unknown: Record<string, unknown> };
}

interface ModuleCall {
  expressions: { [name: string]: { constant_value?: unknown; references?: string[] } };
  module: { variables: { [name: string]: { default?: unknown } }; module_calls?: { [name: string]: ModuleCall } };
}

interface PlanJson {
  configuration: { root_module: { module_calls: { stripe_service: ModuleCall } } };
  output_changes: { stack: { after: { settings: Record<string, unknown> } } };
  resource_changes: ResourceChange[];
  prior_state?: { values?: { root_module?: StateModule } };
  errored: boolean;
}

interface StateModule {
  resources?: { address: string; mode: string; type: string; values: Record<string, unknown> }[];
  child_modules?: StateModule[];
}

function stateResources(module: StateModule | undefined): NonNullable<StateModule['resources']> {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(stateResources)];
}

const plans = new Map<Environment, PlanJson>();
const REGION = 'eu-west-1';

/** A setting of the environment in force: what its tfvars give, or the module's default. */
function setting(result: PlanJson, name: string): unknown {
  const settings = result.output_changes.stack.after.settings;
  if (!(name in settings)) throw new Error(`the stack's settings have no ${name}`);
  return settings[name];
}

function plan(environment: Environment): PlanJson {
  const cached = plans.get(environment);
  if (cached) return cached;
  const dir = join(work, 'terraform', 'stack');
  const dataDir = join(work, 'terraform', 'environments', environment, '.terraform');
  const planFile = join(work, `${environment}.plan`);
  // The S3 backend needs a bucket and credentials; a local one in the copy plans the same stack.
  writeFileSync(join(dir, 'backend_override.tf'), 'terraform {\n  backend "local" {}\n}\n');
  init(dir, { dataDir, statePath: join(work, `${environment}.tfstate`) });
  const varFile = join('..', 'environments', environment, `${environment}.tfvars`);
  const planned = terraform(
    dir,
    ['plan', '-input=false', '-lock=false', '-refresh=false', `-var=package_dir=${packages}`, `-var=aws_region=${REGION}`, `-var-file=${varFile}`, `-out=${planFile}`],
    dataDir,
  );
  if (planned.status !== 0) throw new Error(`terraform plan of ${environment} failed:\n${planned.stderr}${planned.stdout}`);
  const shown = terraform(dir, ['show', '-json', planFile], dataDir);
  if (shown.status !== 0) throw new Error(`terraform show of ${environment} failed:\n${shown.stderr}`);
  const parsed = JSON.parse(shown.stdout) as PlanJson;
  plans.set(environment, parsed);
  return parsed;
}

/** The environment's settings that change what is created, as its tfvars set them. */
interface Settings {
  alarms: { enabled?: boolean; create_topic?: boolean; email?: string | null; topic_arn?: string | null };
  customerManagedKey: boolean;
}

/** What the modules create for the definition, by resource type. */
function expectedCounts(resources: ResourceDefinition, settings: Settings): Record<string, number> {
  const functions = resources.functions;
  const routed = functions.filter((fn) => (fn.routes ?? []).length > 0);
  const routes = routed.flatMap((fn) => fn.routes ?? []);
  const queues = resources.queues.length;
  const ownedTables = resources.tables.filter((t) => !t.external).length;
  const subscriptions = resources.topics.flatMap((t) => t.subscriptions).length;
  // create_topic is true unless an environment says otherwise.
  const alarmTopic = settings.alarms.create_topic !== false && !settings.alarms.topic_arn ? 1 : 0;
  const webhook = routes.includes(WEBHOOK_ROUTE) ? 1 : 0;
  return {
    aws_apigatewayv2_api: 1,
    aws_apigatewayv2_stage: 1,
    aws_apigatewayv2_integration: routed.length,
    aws_apigatewayv2_route: routes.length,
    aws_lambda_permission: routes.length,
    aws_cloudwatch_log_group: functions.length + 1,
    aws_iam_role: functions.length,
    aws_iam_role_policy: functions.length,
    aws_lambda_function: functions.length,
    aws_lambda_event_source_mapping: functions.filter((fn) => fn.queue).length,
    // Per queue its DLQ and its oldest message; per function errors, throttles and duration; per
    // owned table throttles; the API's 5xx count and rate; refused webhook signatures.
    aws_cloudwatch_metric_alarm: 2 * queues + 3 * functions.length + ownedTables + 2 + webhook,
    aws_sqs_queue: 2 * queues,
    aws_sqs_queue_redrive_policy: queues,
    aws_sqs_queue_redrive_allow_policy: queues,
    aws_dynamodb_table: ownedTables,
    aws_sns_topic: resources.topics.length + alarmTopic,
    aws_sns_topic_policy: resources.topics.length,
    aws_sns_topic_subscription: subscriptions + (alarmTopic && settings.alarms.email ? 1 : 0),
    aws_sqs_queue_policy: subscriptions,
    ...(settings.customerManagedKey ? { aws_kms_key: 1, aws_kms_alias: 1 } : {}),
  };
}

const WEBHOOK_ROUTE = 'POST /stripe/webhook';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Whether the environment keeps the stack's own KMS key (the module's default) or opted out. */
function customerManagedKey(result: PlanJson): boolean {
  const value = setting(result, 'customer_managed_key') as { enabled?: boolean } | undefined;
  return value?.enabled !== false;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('terraform plan of each environment creates what resources.json describes', () => {
  withTerraform.each(environments.map((env) => [env]))(
    '%s: resource counts by type',
    (environment) => {
      const result = plan(environment);
      const counts: Record<string, number> = {};
      for (const change of result.resource_changes.filter((c) => c.mode === 'managed')) {
        expect({ address: change.address, actions: change.change.actions }).toEqual({ address: change.address, actions: ['create'] });
        counts[change.type] = (counts[change.type] ?? 0) + 1;
      }
      const settings = { alarms: setting(result, 'alarms'), customerManagedKey: customerManagedKey(result) } as Settings;
      expect(settings.alarms.enabled).not.toBe(false);
      expect(counts).toEqual(expectedCounts(definition(), settings));
    },
    300_000,
  );

  // What each environment sets differently, pinned: a value lost between its tfvars, the stack root
  // and the module would plan the module's default instead.
  const perEnvironment: Record<Environment, { logLevel: string; retention: number; deletionProtection: boolean; throttling: [number, number]; tracing: string; concurrency: number | null; livemode: string | null }> = {
    dev: { logLevel: 'DEBUG', retention: 14, deletionProtection: false, throttling: [50, 25], tracing: 'PassThrough', concurrency: null, livemode: null },
    staging: { logLevel: 'INFO', retention: 30, deletionProtection: true, throttling: [100, 50], tracing: 'PassThrough', concurrency: 5, livemode: null },
    prod: { logLevel: 'INFO', retention: 365, deletionProtection: true, throttling: [500, 250], tracing: 'Active', concurrency: 10, livemode: 'true' },
  };

  withTerraform.each(environments.map((env) => [env]))(
    '%s: its tfvars settings reach every function, log group, table, event source and the API stage',
    (environment) => {
      const result = plan(environment);
      const managed = result.resource_changes.filter((c) => c.mode === 'managed');
      const after = (type: string) => managed.filter((c) => c.type === type).map((c) => c.change.after ?? {});
      const first = (value: unknown) => (Array.isArray(value) ? (value[0] as Record<string, unknown> | undefined) : undefined);
      const distinct = (values: unknown[]) => [...new Set(values.map((value) => JSON.stringify(value ?? null)))].map((text) => JSON.parse(text) as unknown);
      const functions = after('aws_lambda_function');
      const variables = functions.map((fn) => (first(fn.environment)?.variables ?? {}) as Record<string, string>);
      const stage = first(after('aws_apigatewayv2_stage')[0]?.default_route_settings);
      const mappings = after('aws_lambda_event_source_mapping');
      expect(functions.length).toBeGreaterThan(0);
      expect(mappings.length).toBeGreaterThan(0);
      expect({
        logLevel: distinct(variables.map((v) => v.LOG_LEVEL)),
        retention: distinct(after('aws_cloudwatch_log_group').map((group) => group.retention_in_days)),
        deletionProtection: distinct(after('aws_dynamodb_table').map((table) => table.deletion_protection_enabled)),
        throttling: [stage?.throttling_burst_limit, stage?.throttling_rate_limit],
        tracing: distinct(functions.map((fn) => first(fn.tracing_config)?.mode)),
        concurrency: distinct(mappings.map((mapping) => first(mapping.scaling_config)?.maximum_concurrency ?? null)),
        livemode: distinct(variables.map((v) => v.STRIPE_LIVEMODE ?? null)),
      }).toEqual(
        Object.fromEntries(Object.entries(perEnvironment[environment]).map(([key, value]) => [key, key === 'throttling' ? value : [value]])),
      );
    },
    300_000,
  );

  withTerraform.each(environments.map((env) => [env]))(
    '%s: every function, table, queue, subscription, alarm, route and secret reference by name',
    (environment) => {
      const resources = definition();
      const result = plan(environment);
      const name = (n: string) => physicalName(project, environment, n);
      const planned = new Map(result.resource_changes.filter((c) => c.mode === 'managed').map((c) => [c.address, c.change.after ?? {}]));
      const read = new Map(stateResources(result.prior_state?.values?.root_module).map((r) => [r.address, r.values]));
      const at = (address: string) => {
        const after = planned.get(address);
        if (!after) throw new Error(`${environment}: ${address} is not planned`);
        return after;
      };
      const root = 'module.stripe_service';

      for (const fn of resources.functions) {
        const lambda = at(`${root}.module.functions["${fn.id}"].aws_lambda_function.this`);
        expect({ id: fn.id, name: lambda.function_name, timeout: lambda.timeout, memory: lambda.memory_size }).toEqual({
          id: fn.id,
          name: name(fn.id),
          timeout: fn.timeoutSeconds,
          memory: fn.memoryMb,
        });
        const variables = ((lambda.environment as { variables: Record<string, string> }[])[0]?.variables ?? {}) as Record<string, string>;
        for (const table of resources.tables) expect({ fn: fn.id, [table.env]: typeof variables[table.env] }).toEqual({ fn: fn.id, [table.env]: 'string' });
        at(`${root}.module.functions["${fn.id}"].aws_iam_role.this`);
        const errors = at(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.metric["errors/${fn.id}"]`);
        expect(errors.dimensions).toEqual({ FunctionName: name(fn.id) });
        const duration = at(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.metric["duration/${fn.id}"]`);
        expect({ fn: fn.id, threshold: duration.threshold }).toEqual({ fn: fn.id, threshold: fn.timeoutSeconds * 800 });
        if (fn.queue) {
          const mapping = at(`${root}.module.functions["${fn.id}"].aws_lambda_event_source_mapping.sqs[0]`);
          expect({ fn: fn.id, batch: mapping.batch_size }).toEqual({ fn: fn.id, batch: fn.queue.batchSize });
        }
        for (const route of fn.routes ?? []) expect(at(`${root}.module.api.aws_apigatewayv2_route.this["${route}"]`).route_key).toBe(route);
      }

      const webhookAlarm = planned.has(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.metric["webhook_signature_failures"]`);
      expect({ webhookAlarm }).toEqual({ webhookAlarm: resources.functions.some((fn) => (fn.routes ?? []).includes(WEBHOOK_ROUTE)) });

      for (const table of resources.tables) {
        if (!table.external) at(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.table_throttles["${table.id}"]`);
        if (table.external) {
          expect(read.get(`${root}.data.aws_dynamodb_table.external["${table.id}"]`)?.name).toBe(name(table.name));
          continue;
        }
        const planned = at(`${root}.module.tables["${table.id}"].aws_dynamodb_table.this`);
        expect({ table: table.id, name: planned.name, hash: planned.hash_key, range: planned.range_key ?? null }).toEqual({
          table: table.id,
          name: name(table.name),
          hash: table.hashKey.name,
          range: table.rangeKey?.name ?? null,
        });
      }

      for (const queue of resources.queues) {
        expect(at(`${root}.module.queues["${queue.id}"].aws_sqs_queue.this`).name).toBe(name(queue.name));
        expect(at(`${root}.module.queues["${queue.id}"].aws_sqs_queue.dead_letter`).name).toBe(name(queue.deadLetter.name));
        const alarm = at(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.metric["dead_letter/${queue.id}"]`);
        expect(alarm.dimensions).toEqual({ QueueName: name(queue.deadLetter.name) });
        expect(at(`${root}.module.monitoring[0].aws_cloudwatch_metric_alarm.metric["queue_age/${queue.id}"]`).dimensions).toEqual({ QueueName: name(queue.name) });
      }

      for (const topic of resources.topics) {
        expect(at(`${root}.module.topics["${topic.id}"].aws_sns_topic.this`).name).toBe(name(topic.name));
        for (const subscription of topic.subscriptions) {
          const planned = at(`${root}.module.topics["${topic.id}"].aws_sns_topic_subscription.sqs["${subscription.queue}"]`);
          expect({ queue: subscription.queue, raw: planned.raw_message_delivery, filter: planned.filter_policy ? JSON.parse(String(planned.filter_policy)) : null }).toEqual({
            queue: subscription.queue,
            raw: subscription.rawMessageDelivery,
            filter: subscription.filterPolicy ?? null,
          });
        }
      }

      for (const secret of resources.secrets) {
        expect(read.get(`${root}.module.secrets.data.aws_secretsmanager_secret.this["${secret.id}"]`)?.name).toBe(name(secret.name));
      }
    },
    300_000,
  );

  withTerraform.each(environments.map((env) => [env]))(
    '%s: each role\'s policy is known at plan time and names exactly what resources.json gives its function',
    (environment) => {
      const resources = definition();
      const result = plan(environment);
      const region = REGION;
      const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:000000000000:${resource}`;
      const name = (n: string) => physicalName(project, environment, n);
      const policies = new Map(result.resource_changes.filter((c) => c.type === 'aws_iam_role_policy').map((c) => [c.address, c.change]));
      for (const fn of resources.functions) {
        const change = policies.get(`module.stripe_service.module.functions["${fn.id}"].aws_iam_role_policy.this`);
        expect({ fn: fn.id, unknown: change ? change.after_unknown.policy === true : 'not planned' }).toEqual({ fn: fn.id, unknown: false });
        const document = JSON.parse(String(change?.after?.policy)) as { Statement: Statement[] };
        const bySid = Object.fromEntries(document.Statement.map((st) => [st.Sid ?? '', list(st.Resource).sort()]));
        const actionsBySid = Object.fromEntries(document.Statement.map((st) => [st.Sid ?? '', list(st.Action).sort()]));
        const expected: Record<string, string[]> = { Logs: [`${arn('logs', `log-group:/aws/lambda/${name(fn.id)}`)}:*`] };
        const expectedActions: Record<string, string[]> = { Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'] };
        const tables = resources.tables.filter((t) => fn.tables.includes(t.id));
        const tableArn = (t: (typeof tables)[number]) => (t.external ? arn('dynamodb', name(t.name)) : arn('dynamodb', `table/${name(t.name)}`));
        if (tables.length > 0) {
          expected.DynamoDBRead = tables.flatMap((t) =>
            t.external ? [tableArn(t), `${tableArn(t)}/index/*`] : [tableArn(t), ...(t.globalSecondaryIndexes ?? []).map((i) => `${tableArn(t)}/index/${i.name}`)],
          );
          expectedActions.DynamoDBRead = ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'];
        }
        // Writes only where the definition does not make the table read-only; scans only where it allows them.
        const written = tables.filter((t) => !(fn.readOnlyTables ?? []).includes(t.id));
        if (written.length > 0) {
          expected.DynamoDBWrite = written.map(tableArn);
          expectedActions.DynamoDBWrite = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
        }
        const scanned = tables.filter((t) => (fn.scanTables ?? []).includes(t.id));
        if (scanned.length > 0) {
          expected.DynamoDBScan = scanned.map(tableArn);
          expectedActions.DynamoDBScan = ['dynamodb:Scan'];
        }
        // The stack's key is granted by its key policy (see below), never by the role's own policy.
        expect({ fn: fn.id, kmsActions: document.Statement.flatMap((st) => list(st.Action)).filter((action) => action.startsWith('kms:')) }).toEqual({ fn: fn.id, kmsActions: [] });
        const secrets = resources.secrets.filter((sec) => fn.secrets.includes(sec.id));
        if (secrets.length > 0) expected.Secrets = secrets.map((sec) => arn('secretsmanager', name(sec.name)));
        const queues = resources.queues.filter((q) => (fn.queues ?? []).includes(q.id));
        if (queues.length > 0) expected.SendToQueues = queues.map((q) => arn('sqs', name(q.name)));
        const topics = resources.topics.filter((t) => (fn.topics ?? []).includes(t.id));
        if (topics.length > 0) expected.PublishToTopics = topics.map((t) => arn('sns', name(t.name)));
        const source = resources.queues.find((q) => q.id === fn.queue?.id);
        if (source) expected.ConsumeEventSource = [arn('sqs', name(source.name))];
        if (setting(result, 'tracing_mode') === 'Active') expected.Tracing = ['*'];
        for (const key of Object.keys(expected)) expected[key]!.sort();
        expect({ fn: fn.id, statements: bySid }).toEqual({ fn: fn.id, statements: expected });
        const checkedActions = Object.fromEntries(Object.keys(expectedActions).map((sid) => [sid, actionsBySid[sid]]));
        expect({ fn: fn.id, actions: checkedActions }).toEqual({ fn: fn.id, actions: expectedActions });
      }
    },
    300_000,
  );

  withTerraform.each(environments.map((env) => [env]))(
    '%s: the notification worker only reads the customers table',
    (environment) => {
      const result = plan(environment);
      const change = result.resource_changes.find((c) => c.address === 'module.stripe_service.module.functions["notifications"].aws_iam_role_policy.this');
      const document = JSON.parse(String(change?.change.after?.policy)) as { Statement: Statement[] };
      const customers = `arn:aws:dynamodb:${REGION}:000000000000:table/${physicalName(project, environment, 'stripe-customers')}`;
      const granting = document.Statement.filter((st) => list(st.Resource).includes(customers)).map((st) => ({ sid: st.Sid, actions: list(st.Action).sort() }));
      expect(granting).toEqual([{ sid: 'DynamoDBRead', actions: ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'] }]);
    },
    300_000,
  );

  withTerraform.each(environments.map((env) => [env]))(
    '%s: the stack\'s KMS key is rotated, encrypts every owned table and topic, lets SNS use it only for those topics and each role only through its services',
    (environment) => {
      const resources = definition();
      const result = plan(environment);
      const root = 'module.stripe_service';
      const changes = new Map(result.resource_changes.filter((c) => c.mode === 'managed').map((c) => [c.address, c.change]));
      if (!customerManagedKey(result)) {
        expect([...changes.keys()].filter((address) => address.includes('aws_kms_'))).toEqual([]);
        return;
      }
      const key = changes.get(`${root}.module.kms[0].aws_kms_key.this`);
      expect({ rotation: key?.after?.enable_key_rotation, window: key?.after?.deletion_window_in_days, policyKnown: key?.after_unknown.policy !== true }).toEqual({
        rotation: true,
        window: 30,
        policyKnown: true,
      });
      const policy = JSON.parse(String(key?.after?.policy)) as { Statement: Statement[] };
      const topicArns = resources.topics.map((t) => `arn:aws:sns:${REGION}:000000000000:${physicalName(project, environment, t.name)}`);
      // A role is named in the key policy for the services holding data under the key that its function
      // uses: the stack's own tables (not other services') and its topics. The role's ARN is in the plan.
      const ownedTables = new Set(resources.tables.filter((t) => !t.external).map((t) => t.id));
      // In the order of the function ids, as Terraform iterates a map.
      const byId = [...resources.functions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const roleGrants = byId.flatMap((fn) => {
        const viaServices = [...(fn.tables.some((t) => ownedTables.has(t)) ? ['dynamodb'] : []), ...((fn.topics ?? []).length > 0 ? ['sns'] : [])];
        if (viaServices.length === 0) return [];
        // Only reading the stack's tables and publishing nothing: the actions of a reader.
        const readOnly = (fn.topics ?? []).length === 0 && fn.tables.filter((t) => ownedTables.has(t)).every((t) => (fn.readOnlyTables ?? []).includes(t));
        return [
          {
            sid: `${fn.id.split(/[-_]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}UsesTheKey`,
            principal: { AWS: `arn:aws:iam::000000000000:role/${physicalName(project, environment, fn.id)}` },
            actions: readOnly ? ['kms:Decrypt', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
            resources: ['*'],
            condition: { StringEquals: { 'kms:ViaService': viaServices.map((sv) => `${sv}.${REGION}.amazonaws.com`) } },
          },
        ];
      });
      expect(roleGrants.length).toBeGreaterThan(0);
      expect(policy.Statement.map((st) => ({ sid: st.Sid, principal: st.Principal, actions: list(st.Action), resources: list(st.Resource), condition: st.Condition ?? null }))).toEqual([
        { sid: 'AccountAdministers', principal: { AWS: 'arn:aws:iam::000000000000:root' }, actions: ['kms:*'], resources: ['*'], condition: null },
        {
          sid: 'SnsDeliversTheTopics',
          principal: { Service: 'sns.amazonaws.com' },
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArns } },
        },
        ...roleGrants,
      ]);
      // KMS refuses a key policy naming a role that does not exist yet: the grants must be read from the
      // functions' module, which orders the key after the roles, not built from names alone.
      const kmsCall = result.configuration.root_module.module_calls.stripe_service.module.module_calls?.kms;
      expect(kmsCall?.expressions.role_grants?.references ?? []).toContain('module.functions');
      expect(changes.get(`${root}.module.kms[0].aws_kms_alias.this`)?.after?.name).toBe(`alias/${physicalName(project, environment, 'stripe-service')}`);
      // The key's ARN is only known once it exists: each table and topic must take it then, not stay on AWS's key.
      for (const table of resources.tables.filter((t) => !t.external)) {
        const sse = changes.get(`${root}.module.tables["${table.id}"].aws_dynamodb_table.this`)?.after_unknown.server_side_encryption as { kms_key_arn?: boolean }[] | undefined;
        expect({ table: table.id, kmsKeyFromTheStack: sse?.[0]?.kms_key_arn }).toEqual({ table: table.id, kmsKeyFromTheStack: true });
      }
      for (const topic of resources.topics) {
        const unknown = changes.get(`${root}.module.topics["${topic.id}"].aws_sns_topic.this`)?.after_unknown;
        expect({ topic: topic.id, kmsKeyFromTheStack: unknown?.kms_master_key_id }).toEqual({ topic: topic.id, kmsKeyFromTheStack: true });
      }
    },
    300_000,
  );
});
