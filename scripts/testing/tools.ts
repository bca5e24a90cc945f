// The programs tests need beyond npm packages, and one rule for a missing one, so that no check
// can vanish without a word:
// - the set-up step (scripts/ensure-tools.mjs) installs what it can (moto, schemathesis, stripe-mock
//   and the OpenAPI spec, ElasticMQ) and names what it cannot (terraform; chromium, which the browser test installs);
// - a check that needs a tool gets it through `requireTool` or `checksNeeding`: a missing tool is a
//   MissingToolError saying what is missing and how to get it;
// - under CI=true a missing tool is always a failure; locally, only a tool that no set-up step can
//   provide (`optionalLocally`) lets its checks be skipped instead, each titled "(not run: …)" so
//   the run's summary (scripts/jest/summary-reporter.js) lists it with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/resources';

/** Marks the title of a check skipped for a missing tool; the summary reporter looks for it. */
export const NOT_RUN = 'not run:';

export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';

  constructor(
    readonly tool: string,
    reason: string,
    readonly hint: string,
  ) {
    super(`${tool} ${reason}; ${hint}`);
  }
}

type Location = { path: string } | { missing: string };

interface ToolSpec {
  locate(): Location;
  hint: string;
  /** True when no set-up step can install it here, so a developer may run the rest without it. */
  optionalLocally: boolean;
}

const SETUP_HINT = 'run `node scripts/ensure-tools.mjs test` (npm test runs it first)';

function file(path: string): () => Location {
  return () => (existsSync(path) ? { path } : { missing: `not found at ${path}` });
}

/** An executable on PATH that answers `args` with exit code 0. */
function onPath(command: string, args: string[], env: NodeJS.ProcessEnv = {}): () => Location {
  return () => {
    const probe = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    if (probe.error) return { missing: (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is not on PATH' : `could not be run (${probe.error.message})` };
    return probe.status === 0 ? { path: command } : { missing: `\`${command} ${args.join(' ')}\` exited with ${probe.status ?? probe.signal}` };
  };
}

/**
 * The clone's `.tools`, where the set-up step installs. TOOLS_DIR points a copy of the tree that
 * lacks it (the mutation run's sandboxes, see stryker.config.mjs) back at the clone's: its
 * virtualenvs are hundreds of MB, too much to copy into every sandbox.
 */
const toolsDir = process.env.TOOLS_DIR || join(repoRoot, '.tools');

/** Where the set-up step installs what it installs (the same paths as scripts/ensure-tools.mjs). */
export const TOOL_PATHS = {
  'stripe-mock': join(toolsDir, 'bin', 'stripe-mock'),
  'stripe-openapi': join(toolsDir, 'stripe-openapi', 'spec3.json'),
  moto: join(toolsDir, 'venv', 'bin', 'moto_server'),
  schemathesis: join(toolsDir, 'schemathesis-venv', 'bin', 'st'),
  elasticmq: join(toolsDir, 'bin', 'elasticmq'),
  // A provider mirror for `terraform init -plugin-dir` (scripts/terraform-provider-standin/ensure.mjs).
  'terraform-plugins': join(toolsDir, 'terraform-plugins'),
  checkov: join(toolsDir, 'checkov-venv', 'bin', 'checkov'),
  actionlint: join(toolsDir, 'bin', 'actionlint'),
  tflint: join(toolsDir, 'bin', 'tflint'),
};

/** The stand-in AWS provider's binary in that mirror, at the version whose schema it serves. */
const TERRAFORM_STANDIN_BINARY = join(
  TOOL_PATHS['terraform-plugins'],
  'registry.terraform.io/hashicorp/aws/5.99.1',
  `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`,
  'terraform-provider-aws_v5.99.1_x5',
);

export const TOOLS = {
  'stripe-mock': { locate: file(TOOL_PATHS['stripe-mock']), hint: SETUP_HINT, optionalLocally: false },
  'stripe-openapi': { locate: file(TOOL_PATHS['stripe-openapi']), hint: SETUP_HINT, optionalLocally: false },
  moto: { locate: file(TOOL_PATHS.moto), hint: SETUP_HINT, optionalLocally: false },
  schemathesis: { locate: file(TOOL_PATHS.schemathesis), hint: SETUP_HINT, optionalLocally: false },
  checkov: { locate: file(TOOL_PATHS.checkov), hint: SETUP_HINT, optionalLocally: false },
  actionlint: { locate: file(TOOL_PATHS.actionlint), hint: `${SETUP_HINT}; it needs Go`, optionalLocally: false },
  tflint: { locate: file(TOOL_PATHS.tflint), hint: `${SETUP_HINT}; it needs Go`, optionalLocally: false },
  shellcheck: { locate: onPath('shellcheck', ['--version']), hint: `${SETUP_HINT} as root (apt-get install shellcheck), or install shellcheck yourself`, optionalLocally: false },
  'terraform-plugins': { locate: () => (existsSync(TERRAFORM_STANDIN_BINARY) ? { path: TOOL_PATHS['terraform-plugins'] } : { missing: `not found at ${TERRAFORM_STANDIN_BINARY}` }), hint: `${SETUP_HINT}; it needs Go`, optionalLocally: false },
  elasticmq: { locate: file(TOOL_PATHS.elasticmq), hint: `${SETUP_HINT}; it needs Maven and Java 17`, optionalLocally: false },
  terraform: {
    locate: onPath('terraform', ['version'], { CHECKPOINT_DISABLE: '1' }),
    hint: 'install Terraform >= 1.10 (CI installs the version pinned in .github/workflows/ci.yml)',
    optionalLocally: true,
  },
} satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

const located = new Map<ToolName, Location>();

function locate(tool: ToolName): Location {
  let where = located.get(tool);
  if (!where) {
    where = TOOLS[tool].locate();
    located.set(tool, where);
  }
  return where;
}

const underCi = (): boolean => process.env.CI === 'true';

/** The tool's path (or command name), or a MissingToolError. */
export function requireTool(tool: ToolName): string {
  const where = locate(tool);
  if ('path' in where) return where.path;
  throw new MissingToolError(tool, underCi() && TOOLS[tool].optionalLocally ? `${where.missing} (required under CI)` : where.missing, TOOLS[tool].hint);
}

type Body<Args extends unknown[]> = (...args: Args) => unknown;

export interface ToolChecks {
  /** Whether the tool is there: checks registered through `it` run. */
  available: boolean;
  it(name: string, fn: Body<[]>, timeout?: number): void;
  // `| [unknown]` makes TypeScript infer each row as a tuple, as jest's own it.each typing does.
  each<Row extends unknown[] | [unknown]>(table: readonly Row[]): (name: string, fn: Body<Row>, timeout?: number) => void;
}

/**
 * `it` and `it.each` for checks that need `tool`. With the tool they run as usual. Without it they
 * fail with a MissingToolError, except outside CI for a tool no set-up step provides: then each is
 * registered as skipped, its title saying why, so the summary can list it.
 */
export function checksNeeding(tool: ToolName): ToolChecks {
  const where = locate(tool);
  if ('missing' in where && TOOLS[tool].optionalLocally && !underCi()) {
    const title = (name: string) => `${name} (${NOT_RUN} ${tool} ${where.missing})`;
    return {
      available: false,
      it: (name, fn, timeout) => it.skip(title(name), async () => fn(), timeout),
      each: (table) => (name, fn, timeout) => it.skip.each(table as unknown as unknown[][])(title(name), fn as Body<unknown[]>, timeout),
    };
  }
  const guarded =
    <Args extends unknown[]>(fn: Body<Args>) =>
    async (...args: Args) => {
      requireTool(tool);
      await fn(...args);
    };
  return {
    available: 'path' in where,
    it: (name, fn, timeout) => it(name, guarded(fn), timeout),
    each: (table) => (name, fn, timeout) => it.each(table as unknown as unknown[][])(name, guarded(fn as Body<unknown[]>), timeout),
  };
}
