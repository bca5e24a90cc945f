/** Secret values an operator tool reads and writes as stored (no unwrapping, no cache). */
export interface SecretStore {
  /** The current value, or undefined when the secret does not exist. */
  read(secretId: string): Promise<string | undefined>;
  /** Makes `value` the current value, creating the secret when it does not exist. */
  write(secretId: string, value: string, description: string): Promise<void>;
}

export const SECRET_STORE = Symbol.for('SecretStore');
