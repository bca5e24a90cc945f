// Terraform must declare exactly what services/stripe-service/resources.json declares. The
// environments generate the stack from that file (jsondecode + for_each), so this test proves three
// things: the environments and the stripe-service module are wired to the file and nothing else
// (parsed HCL), every field of the file is typed and consumed by the service-definition module, and,
// where the terraform binary exists (always under CI), that Terraform evaluates the file to the same
// names, keys, queues, subscriptions, functions, routes, permissions and environment a reader of the
// file expects. It also checks every module against its callers (variables, outputs, references),
// the parts of `terraform validate` that need no provider download, and `terraform fmt`. Without a
// terraform binary the checks that need one fail under CI and are listed as not run elsewhere.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { loadResources, physicalName, repoRoot, resourcesPath, type ResourceDefinition } from '../lib/resources';
import { checksNeeding } from '../testing/tools';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const terraformRoot = join(repoRoot, 'terraform');
const modulesRoot = join(terraformRoot, 'modules');
const environments = ['dev', 'staging', 'prod'] as const;
const META_ARGUMENTS = new Set(['source', 'version', 'for_each', 'count', 'depends_on', 'providers']);
const withTerraform = checksNeeding('terraform');

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what}: expected an object, got ${JSON.stringify(value)}`);
  return value;
}

/** hcl2json gives every block as a one-element list; blocks here are never repeated. */
function single(value: Json | undefined, what: string): JsonObject {
  if (!Array.isArray(value) || value.length !== 1) throw new Error(`${what}: expected exactly one block`);
  return objectAt(value[0], what);
}

function stringsIn(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isObject(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

interface TerraformDir {
  dir: string;
  files: Record<string, JsonObject>;
  variables: Record<string, JsonObject>;
  outputs: Record<string, JsonObject>;
  modules: Record<string, JsonObject>;
  locals: JsonObject;
  resources: Record<string, JsonObject>;
  data: Record<string, JsonObject>;
  all: JsonObject[];
}

const dirCache = new Map<string, Promise<TerraformDir>>();

/** Parses every .tf file of a folder and merges its blocks by kind. */
function readTerraformDir(dir: string): Promise<TerraformDir> {
  const cached = dirCache.get(dir);
  if (cached) return cached;
  const loading = (async () => {
    const result: TerraformDir = { dir, files: {}, variables: {}, outputs: {}, modules: {}, locals: {}, resources: {}, data: {}, all: [] };
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
      const parsed = objectAt((await parse(file, readFileSync(join(dir, file), 'utf8'))) as Json, `${dir}/${file}`);
      result.files[file] = parsed;
      result.all.push(parsed);
      for (const [name, blocks] of Object.entries(isObject(parsed.variable) ? parsed.variable : {})) result.variables[name] = single(blocks, `variable ${name}`);
      for (const [name, blocks] of Object.entries(isObject(parsed.output) ? parsed.output : {})) result.outputs[name] = single(blocks, `output ${name}`);
      for (const [name, blocks] of Object.entries(isObject(parsed.module) ? parsed.module : {})) result.modules[name] = single(blocks, `module ${name}`);
      for (const block of Array.isArray(parsed.locals) ? parsed.locals : []) Object.assign(result.locals, objectAt(block, 'locals'));
      for (const [kind, target] of [['resource', result.resources], ['data', result.data]] as const) {
        for (const [type, named] of Object.entries(isObject(parsed[kind]) ? parsed[kind] : {})) {
          for (const [name, blocks] of Object.entries(objectAt(named, `${kind} ${type}`))) target[`${type}.${name}`] = single(blocks, `${kind} ${type}.${name}`);
        }
      }
    }
    return result;
  })();
  dirCache.set(dir, loading);
  return loading;
}

function moduleDirs(): string[] {
  return readdirSync(modulesRoot)
    .map((name) => join(modulesRoot, name))
    .filter((path) => statSync(path).isDirectory());
}

function exampleDirs(): string[] {
  return moduleDirs().flatMap((dir) => {
    const examples = join(dir, 'examples');
    return existsSync(examples) ? readdirSync(examples).map((name) => join(examples, name)) : [];
  });
}

function allTerraformDirs(): string[] {
  return [...moduleDirs(), ...exampleDirs(), join(terraformRoot, 'stack')];
}

/** An environment's terraform/environments/<env>/<env>.tfvars, parsed. */
async function readTfvars(env: string): Promise<JsonObject> {
  const file = join(terraformRoot, 'environments', env, `${env}.tfvars`);
  return objectAt((await parse(`${env}.tfvars`, readFileSync(file, 'utf8'))) as Json, file);
}

/** The attributes of the stripe-service module's settings object, from its type. */
async function settingNames(): Promise<string[]> {
  const type = String((await readTerraformDir(join(modulesRoot, 'stripe-service'))).variables.settings?.type ?? '').replace(/#[^\n]*/g, '');
  const names: string[] = [];
  // Only the outermost object's attributes: inside `${object({ ... })}`, three brackets deep.
  let depth = 0;
  for (const match of type.matchAll(/[({})]|([A-Za-z_]\w*)\s*=/g)) {
    if (match[0] === '(' || match[0] === '{') depth += 1;
    else if (match[0] === ')' || match[0] === '}') depth -= 1;
    else if (depth === 3 && match[1]) names.push(match[1]);
  }
  return names;
}

/** `var.x`, `local.x`, `module.x.y` references in an expression; a preceding `.` means an attribute, not a reference. */
function references(expression: string, kind: 'var' | 'local' | 'module'): { name: string; attribute?: string }[] {
  const pattern = new RegExp(`(?<![\\w.])${kind}\\.([A-Za-z_][\\w-]*)(?:\\[[^\\]]*\\])?(?:\\.([A-Za-z_][\\w-]*))?`, 'g');
  return [...expression.matchAll(pattern)].map((m) => (m[2] === undefined ? { name: m[1]! } : { name: m[1]!, attribute: m[2] }));
}

function expectedDefinition(resources: ResourceDefinition, project: string, environment: string, externalNames: Record<string, string>) {
  const name = (n: string) => physicalName(project, environment, n);
  const owned = resources.tables.filter((t) => !t.external);
  const external = resources.tables.filter((t) => t.external);
  const tables = Object.fromEntries(
    owned.map((t) => [
      t.id,
      {
        name: name(t.name),
        env: t.env,
        hash_key: t.hashKey,
        range_key: t.rangeKey ?? null,
        ttl_attribute: t.ttlAttribute ?? null,
        global_secondary_indexes: (t.globalSecondaryIndexes ?? []).map((index) => ({
          name: index.name,
          hash_key: index.hashKey,
          range_key: index.rangeKey ?? null,
          projection_type: index.projection,
        })),
      },
    ]),
  );
  const externalTables = Object.fromEntries(external.map((t) => [t.id, { name: externalNames[t.id] ?? name(t.name), env: t.env }]));
  const queues = Object.fromEntries(
    resources.queues.map((q) => [
      q.id,
      {
        name: name(q.name),
        env: q.env,
        visibility_timeout_seconds: q.visibilityTimeoutSeconds,
        message_retention_seconds: q.messageRetentionSeconds,
        dead_letter: {
          name: name(q.deadLetter.name),
          max_receive_count: q.deadLetter.maxReceiveCount,
          message_retention_seconds: q.deadLetter.messageRetentionSeconds,
        },
      },
    ]),
  );
  const topics = Object.fromEntries(
    resources.topics.map((t) => [
      t.id,
      {
        name: name(t.name),
        env: t.env,
        subscriptions: Object.fromEntries(
          t.subscriptions.map((s) => [s.queue, { queue: s.queue, raw_message_delivery: s.rawMessageDelivery, filter_policy: s.filterPolicy ?? null }]),
        ),
      },
    ]),
  );
  const functions = Object.fromEntries(
    resources.functions.map((fn) => [
      fn.id,
      {
        name: name(fn.id),
        entry: fn.entry,
        package_path: `dist/${fn.id}.zip`,
        timeout_seconds: fn.timeoutSeconds,
        memory_mb: fn.memoryMb,
        routes: fn.routes ?? [],
        tables: fn.tables,
        // Read everywhere; written unless read-only; scanned only where allowed.
        table_access: Object.fromEntries(
          fn.tables.map((t) => [t, ['read', ...((fn.readOnlyTables ?? []).includes(t) ? [] : ['write']), ...((fn.scanTables ?? []).includes(t) ? ['scan'] : [])]]),
        ),
        secrets: fn.secrets,
        queues: fn.queues ?? [],
        topics: fn.topics ?? [],
        event_source: fn.queue
          ? { queue: fn.queue.id, batch_size: fn.queue.batchSize, maximum_batching_window_in_seconds: fn.queue.maximumBatchingWindowSeconds ?? 0 }
          : null,
      },
    ]),
  );
  const routes = Object.fromEntries(resources.functions.flatMap((fn) => (fn.routes ?? []).map((route) => [route, fn.id])));
  const staticEnvironment = {
    PROJECT_NAME: project,
    ENVIRONMENT: environment,
    SECRETS_SOURCE: 'aws',
    SECRET_CACHE_TTL_SECONDS: '300',
    POWERTOOLS_SERVICE_NAME: 'stripe-service',
    POWERTOOLS_METRICS_NAMESPACE: 'StripeService',
    LOG_LEVEL: 'INFO',
    ...Object.fromEntries(owned.map((t) => [t.env, name(t.name)])),
    ...Object.fromEntries(external.map((t) => [t.env, externalNames[t.id] ?? name(t.name)])),
  };
  return {
    name_prefix: `${project}-${environment}`,
    tables,
    external_tables: externalTables,
    queues,
    topics,
    secrets: Object.fromEntries(resources.secrets.map((s) => [s.id, s.name])),
    functions,
    routes,
    static_environment: staticEnvironment,
  };
}

/** Environment variables the service's config catalogue requires (no default, not optional). */
function requiredConfigVariables(): string[] {
  const source = readFileSync(join(repoRoot, 'services', 'stripe-service', 'src', 'config.ts'), 'utf8');
  const catalogue = /const CATALOGUE = \{([\s\S]*?)\n\};/.exec(source);
  if (!catalogue) throw new Error('services/stripe-service/src/config.ts no longer has a CATALOGUE object; update this test');
  const entries = [...catalogue[1]!.matchAll(/^\s+([A-Z][A-Z0-9_]*): env\.(\w+)\(([^)]*)\)/gm)];
  if (entries.length === 0) throw new Error('no variables found in CATALOGUE; update this test');
  return entries
    .filter(([, , kind, args]) => ['name', 'required', 'url', 'arn'].includes(kind!) || (kind === 'oneOf' && !args!.includes(',')))
    .map(([, name]) => name!);
}

// ---------------------------------------------------------------------------------------------

describe('Terraform layout and module contracts', () => {
  it.each(moduleDirs().map((dir) => [dir.slice(modulesRoot.length + 1), dir]))(
    'module %s has main.tf, typed and described variables, described outputs, pinned versions and a README listing them',
    async (name, dir) => {
      for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) expect(existsSync(join(dir, file))).toBe(true);
      const tf = await readTerraformDir(dir);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(Object.keys(tf.variables).length).toBeGreaterThan(0);
      expect(Object.keys(tf.outputs).length).toBeGreaterThan(0);
      for (const [variable, block] of Object.entries(tf.variables)) {
        expect({ variable, type: typeof block.type, description: typeof block.description }).toEqual({ variable, type: 'string', description: 'string' });
        expect({ variable, inReadme: readme.includes(`\`${variable}\``) }).toEqual({ variable, inReadme: true });
      }
      for (const [output, block] of Object.entries(tf.outputs)) {
        expect({ output, description: typeof block.description }).toEqual({ output, description: 'string' });
        expect({ output, inReadme: readme.includes(`\`${output}\``) }).toEqual({ output, inReadme: true });
      }
      const terraformBlock = single(tf.files['versions.tf']?.terraform, `${name}/versions.tf terraform`);
      // 1.10: the S3 backend's use_lockfile.
      expect(terraformBlock.required_version).toBe('>= 1.10');
      if (name === 'service-definition') {
        // Provider-free by design, so it can be evaluated offline.
        expect(terraformBlock.required_providers).toBeUndefined();
        expect(Object.keys(tf.resources)).toEqual([]);
        expect(Object.keys(tf.data)).toEqual([]);
      } else {
        const aws = objectAt(single(terraformBlock.required_providers, 'required_providers').aws, 'aws provider');
        // The version the stand-in provider's schema was generated from (scripts/terraform-provider-standin).
        expect(aws).toEqual({ source: 'hashicorp/aws', version: '~> 5.99.1' });
      }
    },
  );

  it.each(allTerraformDirs().map((dir) => [dir.slice(terraformRoot.length + 1), dir]))(
    '%s references only declared variables, locals, modules and module outputs, and calls modules with their variables',
    async (_name, dir) => {
      const tf = await readTerraformDir(dir);
      const problems: string[] = [];
      for (const [variable, block] of Object.entries(tf.variables)) {
        // Before Terraform 1.9 a validation may only refer to its own variable.
        for (const ref of stringsIn(block.validation).flatMap((s) => references(s, 'var'))) {
          if (ref.name !== variable) problems.push(`variable ${variable}: validation refers to var.${ref.name}`);
        }
      }
      const expressions = tf.all.flatMap((file) => stringsIn({ ...file, variable: null }));
      for (const expression of expressions) {
        for (const ref of references(expression, 'var')) if (!(ref.name in tf.variables)) problems.push(`undeclared var.${ref.name}`);
        for (const ref of references(expression, 'local')) if (!(ref.name in tf.locals)) problems.push(`undeclared local.${ref.name}`);
        for (const ref of references(expression, 'module')) {
          const call = tf.modules[ref.name];
          if (!call) {
            problems.push(`undeclared module.${ref.name}`);
            continue;
          }
          const callee = await readTerraformDir(resolve(dir, String(call.source)));
          if (ref.attribute !== undefined && !(ref.attribute in callee.outputs)) problems.push(`module.${ref.name} has no output ${ref.attribute}`);
        }
      }
      // `local.def` aliases module.definition in stripe-service: its attributes must be outputs too.
      if (typeof tf.locals.def === 'string' && tf.locals.def === '${module.definition}') {
        const callee = await readTerraformDir(resolve(dir, String(tf.modules.definition?.source)));
        for (const expression of expressions) {
          for (const match of expression.matchAll(/(?<![\w.])local\.def\.([A-Za-z_]\w*)/g)) {
            if (!(match[1]! in callee.outputs)) problems.push(`local.def.${match[1]} is not an output of the definition module`);
          }
        }
      }
      for (const [name, call] of Object.entries(tf.modules)) {
        const source = String(call.source);
        expect(source.startsWith('../')).toBe(true);
        const callee = await readTerraformDir(resolve(dir, source));
        for (const argument of Object.keys(call)) {
          if (!META_ARGUMENTS.has(argument) && !(argument in callee.variables)) problems.push(`module ${name}: ${source} has no variable ${argument}`);
        }
        for (const [variable, block] of Object.entries(callee.variables)) {
          if (!('default' in block) && !(variable in call)) problems.push(`module ${name}: required variable ${variable} not set`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('the building-block modules keep the guarantees the service relies on', async () => {
    const lambda = await readTerraformDir(join(modulesRoot, 'lambda-function'));
    expect(lambda.variables.runtime?.default).toBe('nodejs22.x');
    expect(lambda.variables.architecture?.default).toBe('arm64');
    const mapping = lambda.resources['aws_lambda_event_source_mapping.sqs']!;
    expect(mapping.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(lambda.resources['aws_lambda_function.this']?.source_code_hash).toBe('${filebase64sha256(var.package_path)}');
    // Secrets: read access only, and only to the listed secrets.
    const policy = stringsIn(lambda.data['aws_iam_policy_document.this']!).join('\n');
    expect(policy).toContain('secretsmanager:GetSecretValue');
    expect(policy).not.toMatch(/secretsmanager:(?!GetSecretValue)/);
    expect(policy).not.toMatch(/"(dynamodb|sqs|sns|secretsmanager):\*"/);

    const table = await readTerraformDir(join(modulesRoot, 'dynamodb-table'));
    const tableResource = table.resources['aws_dynamodb_table.this']!;
    expect(tableResource.billing_mode).toBe('PAY_PER_REQUEST');
    expect(single(tableResource.point_in_time_recovery, 'pitr').enabled).toBe('${var.point_in_time_recovery}');
    expect(table.variables.point_in_time_recovery?.default).toBe(true);
    expect(single(tableResource.server_side_encryption, 'sse').enabled).toBe(true);

    const queue = await readTerraformDir(join(modulesRoot, 'sqs-queue'));
    const redrive = String(queue.resources['aws_sqs_queue_redrive_policy.this']?.redrive_policy);
    expect(redrive).toContain('deadLetterTargetArn = aws_sqs_queue.dead_letter.arn');
    expect(redrive).toContain('maxReceiveCount     = var.dead_letter.max_receive_count');
    expect(String(queue.resources['aws_sqs_queue_redrive_allow_policy.dead_letter']?.redrive_allow_policy)).toContain('sourceQueueArns   = [aws_sqs_queue.this.arn]');

    const topic = await readTerraformDir(join(modulesRoot, 'sns-topic'));
    const subscription = topic.resources['aws_sns_topic_subscription.sqs']!;
    expect(subscription.raw_message_delivery).toBe('${each.value.raw_message_delivery}');
    expect(subscription.filter_policy).toBe('${each.value.filter_policy}');
    expect(topic.resources['aws_sqs_queue_policy.subscription']?.for_each).toBe('${var.sqs_subscriptions}');

    const api = await readTerraformDir(join(modulesRoot, 'http-api'));
    expect(api.resources['aws_apigatewayv2_integration.lambda']?.payload_format_version).toBe('2.0');
    expect(api.resources['aws_apigatewayv2_route.this']?.route_key).toBe('${each.key}');
    const stage = api.resources['aws_apigatewayv2_stage.this']!;
    expect(single(stage.access_log_settings, 'access logs').destination_arn).toBe('${aws_cloudwatch_log_group.access.arn}');
    expect(single(stage.default_route_settings, 'throttling').throttling_rate_limit).toBe('${var.throttling_rate_limit}');
  });
});

describe('one stack root, generated from resources.json; the environments are data', () => {
  it('terraform/stack holds only the wiring: one call of stripe-service with resources.json, the CI inputs, the environment and its settings, one output', async () => {
    const dir = join(terraformRoot, 'stack');
    expect(readdirSync(dir).filter((f) => !f.startsWith('.')).sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    const tf = await readTerraformDir(dir);
    expect(Object.keys(tf.resources)).toEqual([]);
    expect(Object.keys(tf.data)).toEqual([]);
    expect(Object.keys(tf.modules)).toEqual(['stripe_service']);
    // What CI passes (-var) and what an environment's tfvars give; the modules validate them.
    expect(Object.keys(tf.variables).sort()).toEqual(['aws_region', 'environment', 'package_dir', 'project_name', 'settings']);
    expect(tf.variables.project_name?.default).toBe('eislett-education');
    expect(Object.keys(tf.outputs)).toEqual(['stack']);
    expect(tf.outputs.stack?.value).toBe('${module.stripe_service}');

    const call = tf.modules.stripe_service!;
    expect(call.source).toBe('../modules/stripe-service');
    const read = /^\$\{jsondecode\(file\("\$\{path\.module\}\/([^"]+)"\)\)\}$/.exec(String(call.definition));
    expect(read).not.toBeNull();
    expect(resolve(dir, read![1]!)).toBe(resourcesPath);
    expect({ project: call.project_name, environment: call.environment, settings: call.settings }).toEqual({
      project: '${var.project_name}',
      environment: '${var.environment}',
      settings: '${var.settings}',
    });
    expect(String(call.package_dir)).toContain('${path.module}/../../dist');
    expect(resolve(dir, '../../dist')).toBe(join(repoRoot, 'dist'));

    const versions = single(tf.files['versions.tf']?.terraform, 'versions.tf terraform');
    expect(Object.keys(objectAt(versions.backend, 'backend'))).toEqual(['s3']);
    expect(versions.required_version).toBe('>= 1.10');
    expect(objectAt(single(versions.required_providers, 'required_providers').aws, 'aws provider')).toEqual({ source: 'hashicorp/aws', version: '~> 5.99.1' });
  });

  it('terraform/environments has a folder per environment and nothing else', () => {
    expect(readdirSync(join(terraformRoot, 'environments')).filter((f) => !f.startsWith('.')).sort()).toEqual([...environments].sort());
  });

  it.each(environments)('%s is data only: its tfvars name the environment and set only settings the module declares', async (env) => {
    const dir = join(terraformRoot, 'environments', env);
    // .terraform/ is that environment's working data when it is initialised (docs/deploy.md).
    expect(readdirSync(dir).filter((f) => !f.startsWith('.')).sort()).toEqual([`${env}.tfvars`]);
    const values = await readTfvars(env);
    expect(Object.keys(values).sort()).toEqual(['environment', 'settings']);
    expect(values.environment).toBe(env);
    const known = await settingNames();
    expect(Object.keys(objectAt(values.settings, `${env} settings`)).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('every setting of the stripe-service module is described in its README', async () => {
    const readme = readFileSync(join(modulesRoot, 'stripe-service', 'README.md'), 'utf8');
    const names = await settingNames();
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !readme.includes(`| \`settings.${name}\``))).toEqual([]);
  });

  // A setting equal to the module's default is noise that hides the real differences. The defaults
  // are Terraform's own, from the module's type with its optional() defaults.
  withTerraform.it('no environment sets a setting to the module\'s default, and prod keeps logs a year', async () => {
    const defaults = moduleSettingDefaults();
    for (const env of environments) {
      const settings = objectAt((await readTfvars(env)).settings, `${env} settings`);
      for (const [name, value] of Object.entries(settings)) {
        const fallback = defaults[name];
        // An object setting may give part of its attributes: compare those.
        const comparable = isObject(value) && isObject(fallback) ? Object.fromEntries(Object.keys(value).map((key) => [key, fallback[key] ?? null])) : fallback;
        expect({ env, name, value }).not.toEqual({ env, name, value: comparable });
      }
    }
    const prod = objectAt((await readTfvars('prod')).settings, 'prod settings');
    expect(prod.log_retention_days ?? defaults.log_retention_days).toBe(365);
  });

  it('the stripe-service module feeds every definition output into the resource modules', async () => {
    const tf = await readTerraformDir(join(modulesRoot, 'stripe-service'));
    expect(Object.keys(tf.resources)).toEqual([]);
    expect(Object.keys(tf.data).sort()).toEqual(['aws_caller_identity.current', 'aws_dynamodb_table.external', 'aws_partition.current', 'aws_region.current']);
    expect(tf.data['aws_dynamodb_table.external']).toEqual({ for_each: '${local.def.external_tables}', name: '${each.value.name}' });
    expect(tf.locals.def).toBe('${module.definition}');
    expect(tf.modules.definition).toMatchObject({
      source: '../service-definition',
      definition: '${var.definition}',
      project_name: '${var.project_name}',
      environment: '${var.environment}',
      external_table_names: '${var.settings.external_table_names}',
      package_dir: '${var.package_dir}',
    });
    expect(tf.modules.tables).toMatchObject({
      source: '../dynamodb-table',
      for_each: '${local.def.tables}',
      name: '${each.value.name}',
      hash_key: '${each.value.hash_key}',
      range_key: '${each.value.range_key}',
      ttl_attribute: '${each.value.ttl_attribute}',
      global_secondary_indexes: '${each.value.global_secondary_indexes}',
      point_in_time_recovery: true,
    });
    expect(tf.modules.queues).toMatchObject({
      source: '../sqs-queue',
      for_each: '${local.def.queues}',
      name: '${each.value.name}',
      visibility_timeout_seconds: '${each.value.visibility_timeout_seconds}',
      message_retention_seconds: '${each.value.message_retention_seconds}',
      dead_letter: '${each.value.dead_letter}',
    });
    const topics = tf.modules.topics!;
    expect(topics).toMatchObject({ source: '../sns-topic', for_each: '${local.def.topics}', name: '${each.value.name}' });
    const subscriptions = String(topics.sqs_subscriptions).replace(/\s+/g, ' ');
    for (const part of [
      'for queue_id, s in each.value.subscriptions : queue_id =>',
      'queue_arn = module.queues[queue_id].arn',
      'queue_url = module.queues[queue_id].url',
      'raw_message_delivery = s.raw_message_delivery',
      'filter_policy = s.filter_policy == null ? null : jsonencode(s.filter_policy)',
    ]) expect(subscriptions).toContain(part);

    const functions = tf.modules.functions!;
    expect(functions).toMatchObject({
      source: '../lambda-function',
      for_each: '${local.def.functions}',
      function_name: '${each.value.name}',
      package_path: '${each.value.package_path}',
      memory_mb: '${each.value.memory_mb}',
      timeout_seconds: '${each.value.timeout_seconds}',
      environment_variables: '${local.environment_variables}',
    });
    expect(functions.runtime).toBeUndefined();
    expect(functions.architecture).toBeUndefined();
    expect(functions.dynamodb_tables).toBe('${{ for id in each.value.tables : id => merge(local.table_access[id], { access = each.value.table_access[id] }) }}');
    expect(functions.secret_arns).toBe('${{ for id in each.value.secrets : id => module.secrets.arns[id] }}');
    // ARNs built from the definition's names, so that the policies are known at plan time.
    expect(functions.sqs_send_queue_arns).toBe('${{ for id in each.value.queues : id => local.queue_arns[id] }}');
    expect(functions.sns_publish_topic_arns).toBe('${{ for id in each.value.topics : id => local.topic_arns[id] }}');
    const eventSource = String(functions.sqs_event_source).replace(/\s+/g, ' ');
    for (const part of [
      'each.value.event_source == null ? null',
      'queue_arn = local.queue_arns[each.value.event_source.queue]',
      'batch_size = each.value.event_source.batch_size',
      'maximum_batching_window_in_seconds = each.value.event_source.maximum_batching_window_in_seconds',
    ]) expect(eventSource).toContain(part);

    expect(tf.modules.secrets).toMatchObject({ source: '../secrets', name_prefix: '${local.def.name_prefix}', secrets: '${local.def.secrets}' });
    expect(tf.modules.api).toMatchObject({ source: '../http-api', routes: '${local.def.routes}' });

    const environment = String(tf.locals.environment_variables).replace(/\s+/g, ' ');
    for (const part of [
      'local.def.static_environment',
      '{ for id, queue in local.def.queues : queue.env => module.queues[id].url }',
      // The topic's ARN from its name: the functions must not wait on the topic, which waits on the
      // key, whose policy waits on the functions' roles.
      '{ for id, topic in local.def.topics : topic.env => local.topic_arns[id] }',
    ]) expect(environment).toContain(part);
    expect(String(tf.locals.topic_arns)).toContain('"sns")}:${topic.name}');
    expect(tf.modules.topics).toMatchObject({ name: '${each.value.name}' });
    const tableAccess = String(tf.locals.table_access).replace(/\s+/g, ' ');
    expect(tableAccess).toContain('for id, table in local.def.tables : id => { arn = local.table_arns[id]');
    expect(tableAccess).toContain('index_arns = [for index in table.global_secondary_indexes : "${local.table_arns[id]}/index/${index.name}"]');
    // Each built ARN must name the table the module creates.
    expect(String(tf.locals.table_arns)).toContain(':table/${table.name}');
    expect(tf.modules.tables).toMatchObject({ name: '${each.value.name}' });
    expect(tableAccess).toContain('{ for id, table in data.aws_dynamodb_table.external : id =>');
  });

  it('every field of resources.json is typed and consumed by the service-definition module', async () => {
    // An object type conversion drops attributes it does not declare, so a field added to
    // resources.json but not to the module would silently never reach AWS.
    const tf = await readTerraformDir(join(modulesRoot, 'service-definition'));
    const type = String(tf.variables.definition?.type);
    const logic = [...stringsIn(tf.locals), ...stringsIn(tf.variables.definition?.validation)].join('\n');
    const raw = JSON.parse(readFileSync(resourcesPath, 'utf8')) as Json;
    const fields = new Set<string>();
    // Key attributes ({name, type}) are handed on whole, so only fields outside them must be used by name.
    const usedByName = new Set<string>();
    const walk = (value: Json, parent: string) => {
      if (Array.isArray(value)) value.forEach((item) => walk(item, parent));
      else if (isObject(value)) {
        for (const [key, child] of Object.entries(value)) {
          // Filter policies are user data, passed on whole as well.
          if (key === '$comment' || parent === 'filterPolicy') continue;
          fields.add(key);
          if (parent !== 'hashKey' && parent !== 'rangeKey') usedByName.add(key);
          walk(child, key);
        }
      }
    };
    walk(raw, '');
    expect(fields.size).toBeGreaterThan(20);
    const topLevel = ['tables', 'queues', 'topics', 'secrets', 'functions'];
    const missing = [...fields].filter((field) => !new RegExp(`(^|[\\s{(,])${field}\\s*=`).test(type));
    const unused = [...usedByName].filter((field) => !topLevel.includes(field) && !new RegExp(`\\.${field}\\b`).test(logic));
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
  });
});

// ---------------------------------------------------------------------------------------------

function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra };
}

function terraform(cwd: string, args: string[]) {
  const result = spawnSync('terraform', [...args, '-no-color'], {
    cwd,
    encoding: 'utf8',
    // No network and no user configuration: the roots below need no provider.
    env: terraformEnv({ TF_CLI_CONFIG_FILE: join(cwd, 'terraformrc') }),
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Applies a provider-free root that calls the service-definition module and returns its outputs. */
function evaluateDefinition(definitionFile: string, externalNames: Record<string, string>) {
  return evaluateDefinitionExpression(`jsondecode(file(${JSON.stringify(definitionFile)}))`, externalNames);
}

function evaluateDefinitionExpression(definition: string, externalNames: Record<string, string>, extraHcl = '') {
  const dir = mkdtempSync(join(tmpdir(), 'tf-definition-'));
  try {
    writeFileSync(join(dir, 'terraformrc'), '');
    const hclMap = `{ ${Object.entries(externalNames).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')} }`;
    writeFileSync(
      join(dir, 'main.tf'),
      [
        extraHcl,
        'module "definition" {',
        `  source               = ${JSON.stringify(join(modulesRoot, 'service-definition'))}`,
        '  project_name         = "stripe-payments"',
        '  environment          = "dev"',
        `  definition           = ${definition}`,
        `  external_table_names = ${hclMap}`,
        '  package_dir          = "dist"',
        '}',
        'output "definition" {',
        '  value = module.definition',
        '}',
        '',
      ].join('\n'),
    );
    const init = terraform(dir, ['init', '-input=false']);
    if (init.status !== 0) return { ok: false as const, error: init.stderr + init.stdout };
    const apply = terraform(dir, ['apply', '-auto-approve', '-input=false', '-lock=false']);
    if (apply.status !== 0) return { ok: false as const, error: apply.stderr + apply.stdout };
    const output = terraform(dir, ['output', '-json', 'definition']);
    if (output.status !== 0) return { ok: false as const, error: output.stderr };
    return { ok: true as const, value: JSON.parse(output.stdout) as JsonObject };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The stripe-service module's settings when an environment sets none, as Terraform fills them in. */
function moduleSettingDefaults(): JsonObject {
  const dir = mkdtempSync(join(tmpdir(), 'tf-settings-'));
  try {
    writeFileSync(join(dir, 'terraformrc'), '');
    // The module's variables alone are a root that needs no provider.
    writeFileSync(join(dir, 'variables.tf'), readFileSync(join(modulesRoot, 'stripe-service', 'variables.tf'), 'utf8'));
    writeFileSync(join(dir, 'main.tf'), 'output "settings" {\n  value = var.settings\n}\n');
    const vars = ['-var=project_name=p', '-var=environment=dev', '-var=definition={}', '-var=package_dir=dist'];
    const init = terraform(dir, ['init', '-input=false']);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
    const apply = terraform(dir, ['apply', '-auto-approve', '-input=false', '-lock=false', ...vars]);
    if (apply.status !== 0) throw new Error(`terraform apply failed:\n${apply.stderr}${apply.stdout}`);
    const output = terraform(dir, ['output', '-json', 'settings']);
    if (output.status !== 0) throw new Error(`terraform output failed:\n${output.stderr}`);
    return objectAt(JSON.parse(output.stdout) as Json, 'settings');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Terraform evaluates resources.json to the same resources', () => {
  withTerraform.it('terraform fmt -check finds nothing to reformat', () => {
    const result = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', '-no-color', 'terraform'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: terraformEnv(),
    });
    expect({ status: result.status, diff: result.stdout }).toEqual({ status: 0, diff: '' });
  });

  withTerraform.it('names, keys, indexes, TTL, queues, DLQs, subscriptions, functions, routes, permissions and environment match', () => {
    const externalNames = { products: 'catalog-products' };
    const evaluated = evaluateDefinition(resourcesPath, externalNames);
    if (!evaluated.ok) throw new Error(evaluated.error);
    expect(evaluated.value).toEqual(expectedDefinition(loadResources(), 'stripe-payments', 'dev', externalNames));
  }, 60_000);

  withTerraform.it('every environment variable the service requires is provided in AWS', () => {
    const evaluated = evaluateDefinition(resourcesPath, {});
    if (!evaluated.ok) throw new Error(evaluated.error);
    const resources = loadResources();
    const provided = new Set([
      ...Object.keys(objectAt(evaluated.value.static_environment, 'static_environment')),
      ...resources.queues.map((q) => q.env),
      ...resources.topics.map((t) => t.env),
      'AWS_REGION', // set by the Lambda runtime
    ]);
    const required = requiredConfigVariables();
    expect(required).toContain('STRIPE_CUSTOMERS_TABLE');
    expect(required.filter((name) => !provided.has(name))).toEqual([]);
  }, 60_000);

  withTerraform.it('the stripe-service example\'s inline definition is accepted by the service-definition module', () => {
    // The example documents the definition's shape in HCL; it must stay a valid definition.
    const example = readFileSync(join(modulesRoot, 'stripe-service', 'examples', 'complete', 'main.tf'), 'utf8');
    const locals = /^locals \{\n[\s\S]*?\n\}\n/m.exec(example);
    expect(locals).not.toBeNull();
    const evaluated = evaluateDefinitionExpression('local.definition', { products: 'catalog-dev-products' }, locals![0]);
    if (!evaluated.ok) throw new Error(evaluated.error);
    const functions = objectAt(evaluated.value.functions, 'functions');
    expect(Object.keys(functions).sort()).toEqual(['ingress', 'worker']);
    expect(objectAt(functions.worker, 'worker').event_source).toEqual({ queue: 'work', batch_size: 10, maximum_batching_window_in_seconds: 0 });
    expect(evaluated.value.external_tables).toEqual({ products: { name: 'catalog-dev-products', env: 'PRODUCTS_TABLE' } });
  }, 60_000);

  withTerraform.each([
    ['a function names an unknown table', (r: JsonObject) => pushTo(r, 'functions', 0, 'tables', 'no_such_table'), 'names a table, secret, queue or topic'],
    ['a function makes read-only a table it does not use', (r: JsonObject) => pushTo(r, 'functions', 0, 'readOnlyTables', 'payments'), 'must be among its tables'],
    ['a function may scan a table it does not use', (r: JsonObject) => pushTo(r, 'functions', 0, 'scanTables', 'payments'), 'must be among its tables'],
    ['a subscription names an unknown queue', (r: JsonObject) => setIn(r, ['topics', 0, 'subscriptions', 0, 'queue'], 'no_such_queue'), 'subscription names a queue'],
    [
      'a queue takes a second subscription',
      (r: JsonObject) => pushTo(r, 'topics', 0, 'subscriptions', { queue: 'notifications', rawMessageDelivery: false }),
      'subscribed more than once',
    ],
    ['two functions declare one route', (r: JsonObject) => pushTo(r, 'functions', 1, 'routes', 'GET /stripe/health'), 'more than one function'],
    [
      'a queue triggers a function that outlives its visibility timeout',
      (r: JsonObject) => setIn(r, ['functions', 0, 'queue'], { id: 'stripe_events', batchSize: 10 }) && setIn(r, ['functions', 0, 'timeoutSeconds'], 900),
      'at least six times the timeout',
    ],
    [
      // 180 s is six times 30 s, with nothing left for a 5 s batching window.
      'a batching window on top of six function timeouts outlasts the visibility timeout',
      (r: JsonObject) => setIn(r, ['functions', 0, 'queue'], { id: 'stripe_events', batchSize: 10, maximumBatchingWindowSeconds: 5 }) && setIn(r, ['functions', 0, 'timeoutSeconds'], 30),
      'at least six times the timeout',
    ],
    [
      'a dead-letter queue keeps messages no longer than its source',
      (r: JsonObject) => setIn(r, ['queues', 0, 'deadLetter', 'messageRetentionSeconds'], 345600) && setIn(r, ['queues', 0, 'messageRetentionSeconds'], 345600),
      'must keep messages longer than its source queue',
    ],
  ])('an inconsistent definition is refused: %s', (_name, mutate, message) => {
    const raw = JSON.parse(readFileSync(resourcesPath, 'utf8')) as JsonObject;
    mutate(raw);
    const dir = mkdtempSync(join(tmpdir(), 'tf-bad-definition-'));
    try {
      const file = join(dir, 'resources.json');
      writeFileSync(file, JSON.stringify(raw));
      const evaluated = evaluateDefinition(file, {});
      expect(evaluated.ok).toBe(false);
      expect(evaluated.ok ? '' : evaluated.error.replace(/\s+/g, ' ')).toContain(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function setIn(root: JsonObject, path: (string | number)[], value: Json): true {
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = Array.isArray(node) ? node[key as number]! : objectAt(node, String(key))[key]!;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node[last as number] = value;
  else objectAt(node, 'parent')[last] = value;
  return true;
}

function pushTo(root: JsonObject, list: string, index: number, field: string, value: Json): true {
  const items = root[list];
  if (!Array.isArray(items)) throw new Error(`${list} is not a list`);
  const item = objectAt(items[index], `${list}[${index}]`);
  const current = item[field];
  item[field] = [...(Array.isArray(current) ? current : []), value];
  return true;
}
