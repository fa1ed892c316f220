import { defineConfig } from 'vitest/config';

// One vitest run over every workspace package: each package, app and tool is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tools/*'],
  },
});
