#!/usr/bin/env node
// Provisions everything `npm run dev` and `npm test` need, on a fresh clone, with no prior set-up.
// Dependency-free on purpose: it runs before node_modules exists. Each step is cached and skipped
// when already done; under CI=true a step that cannot complete is a failure, never a skip.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, rmSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTerraformStandIn } from './terraform-provider-standin/ensure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const mode = process.argv[2] ?? 'test';

// Pinned versions of the out-of-npm tools; bumping one reinstalls it.
export const TOOL_VERSIONS = {
  moto: '5.2.5',
  schemathesis: '4.32.5',
  stripeMock: 'v0.197.0',
  elasticmq: '1.6.11',
};

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) return { ok: false, reason: result.error.message };
  return { ok: result.status === 0, reason: `exit code ${result.status}` };
}

function stampPath(name) {
  return join(toolsDir, `${name}.version`);
}

function stampMatches(name, version, binary) {
  return existsSync(binary) && existsSync(stampPath(name)) && readFileSync(stampPath(name), 'utf8') === version;
}

function writeStamp(name, version) {
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(stampPath(name), version);
}

function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)');
  const result = run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  if (!result.ok) throw new Error(`npm ci failed (${result.reason})`);
}

export function motoServerPath() {
  return join(toolsDir, 'venv', 'bin', 'moto_server');
}

function ensureMoto() {
  const binary = motoServerPath();
  if (stampMatches('moto', TOOL_VERSIONS.moto, binary)) return;
  log(`installing moto[server]==${TOOL_VERSIONS.moto} into .tools/venv`);
  const venv = join(toolsDir, 'venv');
  let result = run('python3', ['-m', 'venv', venv]);
  if (!result.ok) throw new Error(`python3 -m venv failed (${result.reason}); install Python 3 with venv`);
  result = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${TOOL_VERSIONS.moto}`]);
  if (!result.ok || !existsSync(binary)) throw new Error(`pip install moto[server] failed (${result.reason})`);
  writeStamp('moto', TOOL_VERSIONS.moto);
}

export function schemathesisPath() {
  return join(toolsDir, 'schemathesis-venv', 'bin', 'st');
}

/** In a venv of its own: its dependencies (hypothesis, werkzeug, …) must not move moto's. */
function ensureSchemathesis() {
  const binary = schemathesisPath();
  if (stampMatches('schemathesis', TOOL_VERSIONS.schemathesis, binary)) return;
  log(`installing schemathesis==${TOOL_VERSIONS.schemathesis} into .tools/schemathesis-venv`);
  const venv = join(toolsDir, 'schemathesis-venv');
  let result = run('python3', ['-m', 'venv', venv]);
  if (!result.ok) throw new Error(`python3 -m venv failed (${result.reason}); install Python 3 with venv`);
  result = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${TOOL_VERSIONS.schemathesis}`]);
  if (!result.ok || !existsSync(binary)) throw new Error(`pip install schemathesis failed (${result.reason})`);
  writeStamp('schemathesis', TOOL_VERSIONS.schemathesis);
}

export const CHECKOV_VERSION = '3.3.30';

export function checkovPath() {
  return join(toolsDir, 'checkov-venv', 'bin', 'checkov');
}

/** checkov, the static security review of terraform/, in a venv of its own like schemathesis. */
function ensureCheckov() {
  const binary = checkovPath();
  if (stampMatches('checkov', CHECKOV_VERSION, binary)) return;
  log(`installing checkov==${CHECKOV_VERSION} into .tools/checkov-venv`);
  const venv = join(toolsDir, 'checkov-venv');
  let result = run('python3', ['-m', 'venv', venv]);
  if (!result.ok) throw new Error(`python3 -m venv failed (${result.reason}); install Python 3 with venv`);
  result = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `checkov==${CHECKOV_VERSION}`]);
  if (!result.ok || !existsSync(binary)) throw new Error(`pip install checkov failed (${result.reason})`);
  writeStamp('checkov', CHECKOV_VERSION);
}

/** Linters of the infrastructure code, Go modules built into .tools/bin at pinned versions. */
export const GO_LINTERS = {
  actionlint: { module: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12' },
  tflint: { module: 'github.com/terraform-linters/tflint', version: 'v0.61.0' },
};

function ensureGoLinters() {
  for (const [name, { module, version }] of Object.entries(GO_LINTERS)) {
    const binary = join(toolsDir, 'bin', name);
    if (stampMatches(name, version, binary)) continue;
    log(`installing ${name} ${version} into .tools/bin (go install)`);
    const result = run('go', ['install', `${module}@${version}`], { env: { ...process.env, GOBIN: join(toolsDir, 'bin'), GOFLAGS: '-mod=mod' } });
    if (!result.ok || !existsSync(binary)) throw new Error(`go install ${name} failed (${result.reason}); install Go 1.23+`);
    writeStamp(name, version);
  }
}

/** shellcheck, which actionlint runs on every `run:` script, is Debian's package: installed when root can. */
function ensureShellcheck() {
  if (spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('shellcheck is not on PATH; install it (apt-get install shellcheck, brew install shellcheck)');
  log('installing shellcheck (apt-get)');
  let result = run('apt-get', ['install', '-y', '-q', 'shellcheck'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!result.ok) {
    run('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
    result = run('apt-get', ['install', '-y', '-q', 'shellcheck'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!result.ok) throw new Error(`apt-get install shellcheck failed (${result.reason})`);
}

export function stripeMockPath() {
  return join(toolsDir, 'bin', 'stripe-mock');
}

/** Stripe's OpenAPI spec as stripe-mock embeds it: the reference the simulator's objects are checked against. */
export function stripeOpenApiPath() {
  return join(toolsDir, 'stripe-openapi', 'spec3.json');
}

function ensureStripeMock() {
  const binary = stripeMockPath();
  if (stampMatches('stripe-mock', TOOL_VERSIONS.stripeMock, binary) && existsSync(stripeOpenApiPath())) return;
  log(`installing stripe-mock ${TOOL_VERSIONS.stripeMock} into .tools/bin (go install)`);
  const result = run('go', ['install', `github.com/stripe/stripe-mock@${TOOL_VERSIONS.stripeMock}`], {
    env: { ...process.env, GOBIN: join(toolsDir, 'bin'), GOFLAGS: '-mod=mod' },
  });
  if (!result.ok || !existsSync(binary)) throw new Error(`go install stripe-mock failed (${result.reason}); install Go 1.22+`);
  const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  const spec = join(modCache, 'github.com', 'stripe', `stripe-mock@${TOOL_VERSIONS.stripeMock}`, 'embedded', 'openapi', 'spec3.json');
  if (!existsSync(spec)) throw new Error(`stripe-mock's OpenAPI spec not found at ${spec}`);
  mkdirSync(dirname(stripeOpenApiPath()), { recursive: true });
  // The module cache is read-only; the copy must stay replaceable when the version changes.
  rmSync(stripeOpenApiPath(), { force: true });
  copyFileSync(spec, stripeOpenApiPath());
  chmodSync(stripeOpenApiPath(), 0o644);
  writeStamp('stripe-mock', TOOL_VERSIONS.stripeMock);
}

export function elasticMqPath() {
  return join(toolsDir, 'bin', 'elasticmq');
}

/**
 * ElasticMQ, the SQS emulator with move tasks (StartMessageMoveTask), for the redrive tests: its
 * jars from Maven Central through Maven itself (a throwaway POM naming the one artifact), run by a
 * launcher on the machine's Java 17. The JVM flags halve its start-up, which tests wait for.
 */
function ensureElasticMq() {
  const binary = elasticMqPath();
  if (stampMatches('elasticmq', TOOL_VERSIONS.elasticmq, binary)) return;
  log(`installing ElasticMQ ${TOOL_VERSIONS.elasticmq} into .tools/elasticmq (mvn)`);
  const java = run('java', ['-version'], { stdio: 'ignore' });
  if (!java.ok) throw new Error(`java is not runnable (${java.reason}); install a Java 17 JRE`);
  const home = join(toolsDir, 'elasticmq');
  const lib = join(home, 'lib');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.tools</groupId><artifactId>elasticmq-runtime</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>org.elasticmq</groupId><artifactId>elasticmq-server_2.13</artifactId><version>${TOOL_VERSIONS.elasticmq}</version></dependency></dependencies>
</project>
`,
  );
  const result = run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`]);
  if (!result.ok || !existsSync(join(lib, `elasticmq-server_2.13-${TOOL_VERSIONS.elasticmq}.jar`))) {
    throw new Error(`mvn dependency:copy-dependencies for ElasticMQ failed (${result.reason}); install Maven 3 and Java 17`);
  }
  mkdirSync(dirname(binary), { recursive: true });
  writeFileSync(
    binary,
    `#!/bin/sh
# ElasticMQ ${TOOL_VERSIONS.elasticmq}; arguments are JVM options (e.g. -Dconfig.file=...).
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$@" -cp "${lib}/*" org.elasticmq.server.Main
`,
  );
  chmodSync(binary, 0o755);
  writeStamp('elasticmq', TOOL_VERSIONS.elasticmq);
}

/** Chromium for the browser test, where the test itself looks (it installs Debian's package when it can). */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

/**
 * Tools this step cannot install, named up front so that checks which cannot run are no surprise:
 * the test run then lists those checks as not run (or, under CI=true, fails them), saying why.
 */
function missingOtherTools() {
  const missing = [];
  const terraform = spawnSync('terraform', ['version'], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, timeout: 30_000 });
  if (terraform.error || terraform.status !== 0) {
    missing.push(
      `terraform is not on PATH: the checks that evaluate the Terraform definition, run \`terraform fmt\`, validate and plan (scripts/test/terraform-*.test.ts) ${process.env.CI === 'true' ? 'will fail (CI=true)' : 'will be listed as not run'}; install Terraform >= 1.10`,
    );
  }
  const chromium = process.env.CHROMIUM_PATH || CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!chromium || !existsSync(chromium)) {
    missing.push("no Chromium found: the browser test installs Debian's `chromium` with apt-get (as root or with sudo) and fails if it cannot; or set CHROMIUM_PATH");
  }
  return missing;
}

const steps = mode === 'dev' ? [ensureNodeModules] : [ensureNodeModules, ensureMoto, ensureStripeMock, ensureSchemathesis, ensureElasticMq, () => ensureTerraformStandIn({ log, run }), ensureCheckov, ensureGoLinters, ensureShellcheck];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = [];
  for (const step of steps) {
    try {
      step();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (mode === 'test') for (const note of missingOtherTools()) log(`MISSING: ${note}`);
  if (failures.length > 0) {
    for (const failure of failures) log(`FAILED: ${failure}`);
    // npm itself is essential; the emulators are too for the tests that use them, which fail loudly without them.
    process.exit(1);
  }
}
