import { captureOutput } from '../../../shared/test/support/capture-output';
import type { FunctionDefinition } from '../../lib/resources';
import { invoke, loadHandler } from '../lambda-runtime';

const fixture: FunctionDefinition = {
  id: 'cold-start-fixture',
  entry: 'scripts/dev-stack/test/fixtures/cold-start-handler.ts',
  timeoutSeconds: 5,
  memoryMb: 128,
} as FunctionDefinition;

async function logged(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const { written } = await captureOutput('stdout', run);
  return written.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

it('marks the first invocation of a freshly loaded function as a cold start, and only that one', async () => {
  const handler = await loadHandler(fixture);
  const first = await logged(() => invoke(fixture, handler, {}, 'us-east-1'));
  const second = await logged(() => invoke(fixture, handler, {}, 'us-east-1'));
  expect(first).toEqual([expect.objectContaining({ message: 'invoked', cold_start: true, function_name: 'cold-start-fixture' })]);
  expect(second).toEqual([expect.objectContaining({ message: 'invoked', cold_start: false })]);
});
