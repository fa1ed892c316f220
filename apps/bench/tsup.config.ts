import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/cli.ts',
    'src/worker.ts',
    'src/shared-churn-thread.ts',
    'src/profile-summary.ts',
    'src/capture-traces.ts',
    'src/ab-cli.ts',
    'src/koffi-minimal-churn.ts',
    'src/paired-cli.ts',
  ],
  format: ['esm'],
  // @daneren2005/shared-memory-objects ships TypeScript sources written for Vite: bundle it, and
  // give it the build mode Vite would (its non-production paths check sizes on every access).
  noExternal: ['@daneren2005/shared-memory-objects'],
  define: { 'import.meta.env.MODE': '"production"' },
  clean: true,
});
