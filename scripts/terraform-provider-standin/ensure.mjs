// The set-up step for the stand-in AWS provider, called by scripts/ensure-tools.mjs. Dependency-free
// like it: it runs before node_modules may exist.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = dirname(fileURLToPath(import.meta.url));
const root = join(source, '..', '..');
const toolsDir = join(root, '.tools');

/** The schema's origin, pinned: @cdktf/provider-aws 19.65.1 was generated from provider 5.99.1. */
export const STANDIN_VERSIONS = {
  cdktfProviderAws: '19.65.1',
  cdktfProviderAwsIntegrity: 'sha512-pUvO9fYAgyc4MreWOZWkzz/lalxOvIAS2YEvBjIadJVqCUEiNN5EDWu5ofBp9Y1k+ncHzl3K6oPgBeYQYJz5kw==',
  awsProvider: '5.99.1',
};

/** A local provider mirror for `terraform init -plugin-dir`, holding only the stand-in. */
export function terraformPluginDir() {
  return join(toolsDir, 'terraform-plugins');
}

function goPlatform() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform] ?? process.platform;
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

export function terraformStandInPath() {
  const version = STANDIN_VERSIONS.awsProvider;
  return join(terraformPluginDir(), 'registry.terraform.io', 'hashicorp', 'aws', version, goPlatform(), `terraform-provider-aws_v${version}_x5`);
}

const buildInputs = () => readdirSync(source).filter((f) => /\.(go|mod|sum)$/.test(f) || f === 'extract-schema.mjs').sort();

/** The stamp covers the sources too, so editing the stand-in rebuilds it. */
function stamp() {
  const hash = createHash('sha256');
  for (const file of buildInputs()) hash.update(file).update(readFileSync(join(source, file)));
  return `${STANDIN_VERSIONS.cdktfProviderAws}+${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Rebuilds the schema from the pinned @cdktf/provider-aws (fetched with `npm pack` and checked
 * against its integrity; never installed into node_modules, it unpacks to 360 MB) and embeds it in
 * a `go build` of the provider.
 */
export function ensureTerraformStandIn({ log, run }) {
  const binary = terraformStandInPath();
  const stampFile = join(toolsDir, 'terraform-provider-standin.version');
  const version = stamp();
  if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === version) return;
  log(`building the stand-in AWS provider ${STANDIN_VERSIONS.awsProvider} from @cdktf/provider-aws@${STANDIN_VERSIONS.cdktfProviderAws} into .tools/terraform-plugins (go build)`);
  const cache = join(toolsDir, 'cache');
  const tarball = join(cache, `cdktf-provider-aws-${STANDIN_VERSIONS.cdktfProviderAws}.tgz`);
  mkdirSync(cache, { recursive: true });
  if (!existsSync(tarball)) {
    const packed = run('npm', ['pack', `@cdktf/provider-aws@${STANDIN_VERSIONS.cdktfProviderAws}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!packed.ok || !existsSync(tarball)) throw new Error(`npm pack @cdktf/provider-aws failed (${packed.reason})`);
  }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== STANDIN_VERSIONS.cdktfProviderAwsIntegrity) {
    rmSync(tarball, { force: true });
    throw new Error(`@cdktf/provider-aws tarball has integrity ${integrity}, expected ${STANDIN_VERSIONS.cdktfProviderAwsIntegrity}`);
  }
  const build = join(toolsDir, 'terraform-provider-standin-build');
  rmSync(build, { recursive: true, force: true });
  mkdirSync(build, { recursive: true });
  let result = run('tar', ['-xzf', tarball, '-C', build, 'package/lib']);
  if (!result.ok) throw new Error(`unpacking @cdktf/provider-aws failed (${result.reason})`);
  for (const file of buildInputs().filter((f) => !f.endsWith('.mjs'))) copyFileSync(join(source, file), join(build, file));
  result = run(process.execPath, [join(source, 'extract-schema.mjs'), join(build, 'package'), join(build, 'schema.json')]);
  if (!result.ok) throw new Error(`extracting the AWS provider schema failed (${result.reason})`);
  rmSync(join(build, 'package'), { recursive: true, force: true });
  mkdirSync(dirname(binary), { recursive: true });
  result = run('go', ['build', '-trimpath', '-o', binary, '.'], { cwd: build });
  if (!result.ok || !existsSync(binary)) throw new Error(`go build of the stand-in AWS provider failed (${result.reason}); install Go 1.23+`);
  writeFileSync(stampFile, version);
}
