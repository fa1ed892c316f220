import { defineConfig } from 'vite';

// Relative asset paths, so that dist/ works from any static server and any sub-path.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
});
