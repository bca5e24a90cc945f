/** One dependency the health endpoint checks. */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves when the dependency answers as expected; rejects with a short reason otherwise. */
  check(): Promise<void>;
}

export const DEPENDENCY_PROBES = Symbol.for('DependencyProbes');
