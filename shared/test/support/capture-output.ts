/** Runs `work` with what it writes to one of the process's streams captured and silenced, and returns both. */
export async function captureOutput<T>(stream: 'stdout' | 'stderr', work: () => T | Promise<T>): Promise<{ result: T; written: string }> {
  const target = process[stream];
  const chunks: string[] = [];
  const original = target.write;
  target.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof target.write;
  try {
    return { result: await work(), written: chunks.join('') };
  } finally {
    target.write = original;
  }
}
