import * as v from 'valibot';
import { ValidationError } from '../src/errors/domain-error';
import { validate } from '../src/http/validate';

const Body = v.object({
  amount: v.pipe(v.number('must be a number'), v.minValue(1, 'must be at least 1')),
  currency: v.string('must be a string'),
});

function rejection(input: unknown): ValidationError {
  try {
    validate(Body, input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('validate accepted the input');
}

describe('validate', () => {
  it('returns the parsed input when it is valid', () => {
    expect(validate(Body, { amount: 5, currency: 'eur' })).toEqual({ amount: 5, currency: 'eur' });
  });

  it('reports every issue with its field path, in the problem detail and in its errors', () => {
    const error = rejection({ amount: 0, currency: 5 });
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual([
      { field: 'amount', message: 'must be at least 1' },
      { field: 'currency', message: 'must be a string' },
    ]);
    // The detail is what a caller reads first: each field with its message, in order.
    expect(error.message).toBe('The request is invalid: amount: must be at least 1; currency: must be a string');
  });

  it('names the body itself when the body as a whole is wrong (JSON null where an object is expected)', () => {
    const error = rejection(null);
    expect(error.issues).toEqual([{ field: '(body)', message: expect.any(String) }]);
    expect(error.message).toMatch(/^The request is invalid: \(body\): /);
  });

  it('reports every issue even where valibot is configured, process-wide, to stop at the first', () => {
    // Any module of the function could set valibot's global configuration; the callers' list of
    // problems must not depend on it.
    v.setGlobalConfig({ abortEarly: true });
    try {
      expect(rejection({ amount: 0, currency: 5 }).issues.map((issue) => issue.field)).toEqual(['amount', 'currency']);
    } finally {
      v.deleteGlobalConfig();
    }
  });
});
