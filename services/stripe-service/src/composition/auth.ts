import { ContainerModule } from 'inversify';
import { JwtAuthenticator } from '@shared/auth/jwt-authenticator';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { secretId, type Config } from '../config';

/** Bearer-token authentication. */
export const authModule = (config: Config<'JWT_JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>) =>
  new ContainerModule(({ bind }) => {
    bind(JwtAuthenticator).toResolvedValue(
      (secrets: SecretProvider) =>
        new JwtAuthenticator({
          hs256Secret: () => secrets.getSecret(secretId(config, 'jwt-access-token-secret')),
          jwksUrl: config.JWT_JWKS_URL,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      [SECRET_PROVIDER],
    );
  });

