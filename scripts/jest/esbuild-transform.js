// Jest transformer: TypeScript to ES modules with esbuild (type checking is `tsc`'s job in `npm test`).
// esbuild rather than swc: its platform binaries are all published where our registry mirrors reach.
import { transformSync } from 'esbuild';

export default {
  canInstrument: false,
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: path,
      sourcemap: 'both',
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    });
    return { code, map };
  },
};
