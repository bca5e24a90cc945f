/** Runs `work` with what it writes to stderr (where the logger puts warnings and errors) captured and silenced. */
export async function captureStderr<T>(work: () => Promise<T>): Promise<{ result: T; written: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await work(), written: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}
