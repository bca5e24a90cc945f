/** How long a deployed function keeps a secret it read, for operator tools that must wait that long. */
export interface SecretCacheTtlReader {
  /** Seconds, as the function runs with them; undefined when no function of that name is deployed. */
  secretCacheTtlSecondsOf(functionName: string): Promise<number | undefined>;
}

export const SECRET_CACHE_TTL_READER = Symbol.for('SecretCacheTtlReader');
