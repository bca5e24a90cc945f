import { ContainerModule } from 'inversify';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { CLOCK, type Clock } from '../application/ports/clock';
import { createSecretProvider } from '../adapters/secrets/secret-provider-factory';
import { SystemClock } from '../adapters/system/system-clock';
import type { Config } from '../config';

// One module per concern, one file each so a function's bundle carries only the SDKs of the
// modules it loads. Each takes the slice of config it reads, so a composition root that forgets a
// variable a module needs fails to compile. Bindings are resolved on first use.

/** Clock, secrets. */
export const platformModule = (config: Config<never>) =>
  new ContainerModule(({ bind }) => {
    bind<Clock>(CLOCK).toConstantValue(new SystemClock());
    bind<SecretProvider>(SECRET_PROVIDER).toDynamicValue(() => createSecretProvider(config));
  });

