// Typed access to services/stripe-service/resources.json, the one definition of the service's AWS
// resources, shared by the local stack, the build, `npm run invoke` and the Terraform drift test.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';

const KeyAttribute = v.strictObject({ name: v.string(), type: v.picklist(['S', 'N', 'B']) });

const Table = v.strictObject({
  id: v.string(),
  name: v.string(),
  env: v.string(),
  external: v.optional(v.boolean()),
  hashKey: KeyAttribute,
  rangeKey: v.optional(KeyAttribute),
  ttlAttribute: v.optional(v.string()),
  globalSecondaryIndexes: v.optional(
    v.array(
      v.strictObject({
        name: v.string(),
        hashKey: KeyAttribute,
        rangeKey: v.optional(KeyAttribute),
        projection: v.literal('ALL'),
      }),
    ),
  ),
});

const Queue = v.strictObject({
  id: v.string(),
  name: v.string(),
  env: v.string(),
  visibilityTimeoutSeconds: v.number(),
  messageRetentionSeconds: v.number(),
  deadLetter: v.strictObject({ name: v.string(), maxReceiveCount: v.number(), messageRetentionSeconds: v.number() }),
});

const Topic = v.strictObject({
  id: v.string(),
  name: v.string(),
  env: v.string(),
  subscriptions: v.array(
    v.strictObject({
      queue: v.string(),
      rawMessageDelivery: v.boolean(),
      filterPolicy: v.optional(v.record(v.string(), v.array(v.string()))),
    }),
  ),
});

const LambdaFunction = v.strictObject({
  id: v.string(),
  entry: v.string(),
  timeoutSeconds: v.number(),
  memoryMb: v.number(),
  routes: v.optional(v.array(v.pipe(v.string(), v.regex(/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/)))),
  queue: v.optional(
    v.strictObject({ id: v.string(), batchSize: v.number(), maximumBatchingWindowSeconds: v.optional(v.number()) }),
  ),
  tables: v.array(v.string()),
  // Subsets of tables: the ones the function only reads, and the ones it may scan.
  readOnlyTables: v.optional(v.array(v.string())),
  scanTables: v.optional(v.array(v.string())),
  queues: v.optional(v.array(v.string())),
  topics: v.optional(v.array(v.string())),
  secrets: v.array(v.string()),
});

const Resources = v.strictObject({
  $comment: v.optional(v.string()),
  tables: v.array(Table),
  queues: v.array(Queue),
  topics: v.array(Topic),
  secrets: v.array(v.strictObject({ id: v.string(), name: v.string() })),
  functions: v.array(LambdaFunction),
});

export type ResourceDefinition = v.InferOutput<typeof Resources>;
export type TableDefinition = v.InferOutput<typeof Table>;
export type QueueDefinition = v.InferOutput<typeof Queue>;
export type TopicDefinition = v.InferOutput<typeof Topic>;
export type FunctionDefinition = v.InferOutput<typeof LambdaFunction>;

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resourcesPath = join(repoRoot, 'services', 'stripe-service', 'resources.json');

/** Reads and validates the resource definition; throws with every problem found. */
export function loadResources(path: string = resourcesPath): ResourceDefinition {
  const parsed = v.safeParse(Resources, JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    throw new Error(`${path} is invalid:\n  ${problems.join('\n  ')}`);
  }
  const resources = parsed.output;
  const tableIds = new Set(resources.tables.map((t) => t.id));
  const queueIds = new Set(resources.queues.map((q) => q.id));
  const secretIds = new Set(resources.secrets.map((s) => s.id));
  const problems: string[] = [];
  for (const fn of resources.functions) {
    for (const t of fn.tables) if (!tableIds.has(t)) problems.push(`function ${fn.id}: unknown table ${t}`);
    for (const t of [...(fn.readOnlyTables ?? []), ...(fn.scanTables ?? [])]) {
      if (!fn.tables.includes(t)) problems.push(`function ${fn.id}: ${t} is given an access but is not one of its tables`);
    }
    for (const s of fn.secrets) if (!secretIds.has(s)) problems.push(`function ${fn.id}: unknown secret ${s}`);
    for (const q of fn.queues ?? []) if (!queueIds.has(q)) problems.push(`function ${fn.id}: unknown queue ${q}`);
    if (fn.queue && !queueIds.has(fn.queue.id)) problems.push(`function ${fn.id}: unknown event source queue ${fn.queue.id}`);
  }
  for (const topic of resources.topics) {
    for (const s of topic.subscriptions) if (!queueIds.has(s.queue)) problems.push(`topic ${topic.id}: unknown queue ${s.queue}`);
  }
  if (problems.length > 0) throw new Error(`${path} is inconsistent:\n  ${problems.join('\n  ')}`);
  return resources;
}

/** The physical name of a resource in one stack: `{project}-{environment}-{name}`. */
export function physicalName(projectName: string, environment: string, name: string): string {
  return `${projectName}-${environment}-${name}`;
}

/** Where the local stack keeps its state; `LOCAL_STACK_DATA_DIR` moves it (tests use a temporary one). */
export function localDataDir(): string {
  return process.env.LOCAL_STACK_DATA_DIR || join(repoRoot, '.data');
}
