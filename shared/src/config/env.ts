import * as v from 'valibot';

/** A schema for one environment variable: raw string (or undefined) in, typed value out. */
export type EnvSchema<T> = v.GenericSchema<string | undefined, T>;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Reads the named variables from `env` with their schemas and returns them typed. Every missing or
 * malformed variable is collected first so one error names them all: a deployment with three typos
 * should fail once, not three times.
 */
export function readEnv<S extends Record<string, EnvSchema<unknown>>>(
  schemas: S,
  env: Record<string, string | undefined> = process.env,
): { [K in keyof S]: v.InferOutput<S[K]> } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const raw = env[name];
    const result = v.safeParse(schema, raw === '' ? undefined : raw);
    if (result.success) {
      out[name] = result.output;
    } else {
      const issue = result.issues[0];
      // The value itself is never echoed: it may be a secret set in the wrong variable.
      problems.push(raw === undefined || raw === '' ? `${name} is required` : `${name} is malformed (${issue.message})`);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return out as { [K in keyof S]: v.InferOutput<S[K]> };
}

export const env = {
  required: (): EnvSchema<string> => v.pipe(v.string('required'), v.minLength(1)),
  optional: (): EnvSchema<string | undefined> => v.optional(v.pipe(v.string(), v.minLength(1))),
  name: (): EnvSchema<string> =>
    v.pipe(v.string('required'), v.regex(/^[A-Za-z0-9_.-]{1,255}$/, 'letters, digits, _ . - only')),
  url: (): EnvSchema<string> => v.pipe(v.string('required'), v.url('an absolute URL')),
  optionalUrl: (): EnvSchema<string | undefined> => v.optional(v.pipe(v.string(), v.url('an absolute URL'))),
  arn: (): EnvSchema<string> => v.pipe(v.string('required'), v.regex(/^arn:aws[a-z-]*:[a-z0-9-]+:/, 'an ARN')),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) =>
    (fallback === undefined
      ? v.picklist(values, `one of ${values.join(', ')}`)
      : v.optional(v.picklist(values, `one of ${values.join(', ')}`), fallback)) as EnvSchema<T[number]>,
  integer: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): EnvSchema<number> =>
    v.pipe(
      v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'a whole number')), String(fallback)),
      v.transform(Number),
      v.minValue(min, `at least ${min}`),
      v.maxValue(max, `at most ${max}`),
    ),
};
