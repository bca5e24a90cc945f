import type { FunctionDefinition } from '../../lib/resources';
import { invoke, loadHandler } from '../lambda-runtime';

const fixture: FunctionDefinition = {
  id: 'cold-start-fixture',
  entry: 'scripts/dev-stack/test/fixtures/cold-start-handler.ts',
  timeoutSeconds: 5,
  memoryMb: 128,
} as FunctionDefinition;

async function logged(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = original;
  }
  return lines.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

it('marks the first invocation of a freshly loaded function as a cold start, and only that one', async () => {
  const handler = await loadHandler(fixture);
  const first = await logged(() => invoke(fixture, handler, {}, 'us-east-1'));
  const second = await logged(() => invoke(fixture, handler, {}, 'us-east-1'));
  expect(first).toEqual([expect.objectContaining({ message: 'invoked', cold_start: true, function_name: 'cold-start-fixture' })]);
  expect(second).toEqual([expect.objectContaining({ message: 'invoked', cold_start: false })]);
});
