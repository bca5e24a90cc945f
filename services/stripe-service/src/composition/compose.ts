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
