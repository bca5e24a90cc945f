import { runFixture } from './run-fixture';

it('fails a test that made no assertion, and only that one', async () => {
  const run = await runFixture('no-assertion.fixture.ts', {}, 45_000);
  expect(run.output).toMatch(/✕ checks nothing[\s\S]*Expected at least one assertion to be called but received none/);
  expect(run.output).toContain('✓ checks something');
  expect(run.output).toContain('✓ checks something after an await');
  expect(run.output).toMatch(/tests: 2 passed, 1 failed, 0 skipped\n$/);
  expect(run.code).toBe(1);
}, 60_000);
