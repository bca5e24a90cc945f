import { Container, type ContainerModule } from 'inversify';
import { loadConfig, type Config, type VariableName } from '../config';

/**
 * A function's composition root in one call: its config (validated once, naming every problem),
 * the container modules it needs, and the dependencies it hands its handler. Bindings are
 * singletons resolved on demand, so nothing is built that this function's requests never use.
 */
export async function composeFunction<K extends VariableName, D>(
  needs: readonly K[],
  modules: (config: Config<K>) => ContainerModule[],
  resolve: (container: Container) => D | Promise<D>,
): Promise<D> {
  const config = loadConfig(needs);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(...modules(config));
  return resolve(container);
}

/**
 * A function's dependencies, each resolved from the container when a request first reads it, then
 * kept. A function with many routes serves its first request without planning and building the
 * use cases (and their clients) that request never calls; with Singleton scope a later read gets
 * the same instance the container would have handed out at composition.
 */
export function resolvedOnDemand<F extends Record<string, () => unknown>>(factories: F): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const deps = {} as { [K in keyof F]: ReturnType<F[K]> };
  for (const [name, factory] of Object.entries(factories)) {
    Object.defineProperty(deps, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factory();
        Object.defineProperty(deps, name, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return deps;
}
