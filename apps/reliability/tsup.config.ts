import { defineConfig } from 'tsup';

export default defineConfig({ entry: ['src/fuzz-cli.ts'], format: ['esm'], clean: true });
