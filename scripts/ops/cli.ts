// What the operator commands share: arguments parsed strictly (a typo is a usage error, exit 2,
// not a silently ignored option), --help, and failures as one line on stderr.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomainError } from '@shared/errors/domain-error';
import { TargetError } from './target';

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses argv against `options` plus --help/-h; prints the usage and exits on --help or a bad argument. */
export function parseCommandLine<const O extends Options>(usage: string, options: O, allowPositionals = false): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`, 2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed as unknown as ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>;
}

/** Ends the command: 0, or a failure said in one line (expected ones by their message, others with their name). */
export function finish(command: string, work: Promise<number>): void {
  work.then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof TargetError || error instanceof DomainError) fail(`${command}: ${error.message}`);
      fail(`${command} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    },
  );
}
