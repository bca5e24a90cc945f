/**
 * A value built once, when first asked for: for a client or module a cold start should not pay for
 * until a request needs it. Callers asking while it loads share the one load; a load that fails is
 * forgotten, so the next caller tries again instead of inheriting the failure for the process's life.
 */
export function onFirstUse<T>(load: () => T | Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= Promise.resolve()
      .then(load)
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
    return loading;
  };
}
