// The end-to-end suites' deployed-stage target mints live tokens for the stage: on GitHub Actions
// each must be masked before a test could print it.
import { startTarget } from '../../e2e/target';

const ENV_KEYS = ['E2E_BASE_URL', 'E2E_JWT_SECRET', 'GITHUB_ACTIONS'] as const;
let saved: Partial<Record<(typeof ENV_KEYS)[number], string>>;
let written: string[];
const realWrite = process.stdout.write;

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  process.env.E2E_BASE_URL = 'https://api.example.test/';
  process.env.E2E_JWT_SECRET = JSON.stringify({ key: 'deployed-stage-jwt-secret-0123456789abcdef' });
  written = [];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});

afterEach(() => {
  process.stdout.write = realWrite;
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = saved[key];
  }
});

describe('the deployed-stage e2e target', () => {
  it('on GitHub Actions masks every token it mints, on a line of its own, before returning it', async () => {
    process.env.GITHUB_ACTIONS = 'true';
    const target = await startTarget();
    const first = await target.tokenFor({ sub: 'e2e-user-1' });
    const second = await target.tokenFor({ sub: 'e2e-user-2' });
    expect(first).not.toBe(second);
    expect(written.join('')).toBe(`\n::add-mask::${first}\n\n::add-mask::${second}\n`);
    expect(target.baseUrl).toBe('https://api.example.test');
  });

  it('elsewhere prints nothing', async () => {
    delete process.env.GITHUB_ACTIONS;
    const target = await startTarget();
    expect((await target.tokenFor({ sub: 'e2e-user-1' })).split('.')).toHaveLength(3);
    expect(written).toEqual([]);
  });
});
