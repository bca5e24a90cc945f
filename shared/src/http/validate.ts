import * as v from 'valibot';
import { ValidationError } from '../errors/domain-error';

/** Validates input against a schema; every problem is reported with its field path. */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => ({ field: v.getDotPath(issue) ?? '(body)', message: issue.message }));
  throw new ValidationError(`The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}
