import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/worker.ts', 'src/shared-churn-thread.ts', 'src/profile-summary.ts', 'src/capture-traces.ts'],
  format: ['esm'],
  clean: true,
});
