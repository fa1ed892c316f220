import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/fuzz-cli.ts', 'src/soak-cli.ts', 'src/shared-fuzz-thread.ts'],
  format: ['esm'],
  clean: true,
});
