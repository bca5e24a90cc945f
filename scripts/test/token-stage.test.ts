// `npm run token -- --stage <env>`: a token for a deployed stage, signed with that stage's secret
// from Secrets Manager (moto here, reached through the SDK's endpoint variable).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jwtVerify } from 'jose';
import { repoRoot } from '../lib/resources';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../testing/emulators';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const SECRET = 'a-stage-secret-of-at-least-thirty-two-bytes!';
let moto: Emulator;

const token = (args: string[]) =>
  run(tsx, [join(repoRoot, 'scripts', 'token.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, PROJECT_NAME: 'ops-test', AWS_REGION: TEST_REGION, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, NODE_OPTIONS: '' },
    timeout: 60_000,
  });

beforeAll(async () => {
  moto = await startMoto();
  const client = new SecretsManagerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  await client.send(new CreateSecretCommand({ Name: 'ops-test-dev-jwt-access-token-secret', SecretString: JSON.stringify({ key: SECRET }) }));
  client.destroy();
}, 60_000);
afterAll(async () => moto?.stop());

describe('npm run token --stage', () => {
  it('prints only a token signed with the stage\'s secret from Secrets Manager', async () => {
    const { stdout } = await token(['--stage', 'dev', '--sub', 'u1', '--email', 'u1@example.com', '--ttl', '600']);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ sub: 'u1', email: 'u1@example.com', role: 'user' });
    expect(payload.exp! - payload.iat!).toBe(600);
  }, 60_000);

  it('names the secret it could not find', async () => {
    await expect(token(['--stage', 'prod', '--sub', 'u1'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('the secret ops-test-prod-jwt-access-token-secret does not exist') });
  }, 60_000);
});
