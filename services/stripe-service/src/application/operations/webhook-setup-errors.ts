import { DomainError } from '@shared/errors/domain-error';

/** The endpoint exists but its signing secret is not stored, and the provider shows a secret only when it creates one. */
export class SigningSecretUnrecoverableError extends DomainError {
  constructor(endpointId: string, secretId: string) {
    super(
      'conflict',
      'webhook_signing_secret_unrecoverable',
      `webhook endpoint ${endpointId} exists but ${secretId} holds no signing secret (whsec_…), and Stripe shows a secret only when it creates one: run again with --roll to create a new one`,
    );
  }
}

/** Stripe sets an endpoint's API version when it creates the endpoint; it cannot be changed afterwards. */
export class EndpointApiVersionDriftError extends DomainError {
  constructor(endpointId: string, actual: string | null, wanted: string) {
    super(
      'conflict',
      'webhook_api_version_drift',
      `webhook endpoint ${endpointId} sends events in API version ${actual ?? "(the account's default)"}, the SDK reads ${wanted}; Stripe sets the version only when it creates an endpoint: run again with --roll to replace it`,
    );
  }
}

/** Several endpoints for the stage's URL: a roll in progress, or duplicates made by hand. */
export class SeveralEndpointsError extends DomainError {
  constructor(url: string, ids: string[], rolling: boolean) {
    super(
      'conflict',
      rolling ? 'webhook_roll_in_progress' : 'webhook_endpoint_duplicated',
      rolling
        ? `a secret roll is in progress for ${url} (${ids.join(', ')}): finish it with --finish-roll first`
        : `${ids.length} webhook endpoints deliver to ${url} (${ids.join(', ')}) and none was made by --roll: delete the ones whose secret is not stored, then run again`,
    );
  }
}

/** Dropping the old secret before every function has re-read the stored value would refuse deliveries. */
export class RollNotSettledError extends DomainError {
  constructor(readyAtIso: string, ttlSeconds: number, source: string) {
    super(
      'conflict',
      'webhook_roll_not_settled',
      `the new secret was stored less than the secret cache time (${ttlSeconds} s, ${source}) ago; functions may still hold the old value: run --finish-roll again after ${readyAtIso}`,
    );
  }
}

/** Finishing a roll early would refuse deliveries, so an unknown cache time is never guessed. */
export class SecretCacheTtlUnknownError extends DomainError {
  constructor(functionName: string | undefined, secretId: string) {
    super(
      'conflict',
      'webhook_secret_cache_ttl_unknown',
      functionName
        ? `${functionName}, which reads ${secretId}, is not deployed, so how long it keeps the secret is unknown: deploy it, or give the stage's SECRET_CACHE_TTL_SECONDS with --secret-ttl`
        : `no deployed function is named as reading ${secretId}, so how long functions keep it is unknown: give the stage's SECRET_CACHE_TTL_SECONDS with --secret-ttl`,
    );
  }
}
