import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace-packages.js';

/** The changelog functions `pnpm changeset version` loads (`.changeset/config.json` names the file). */
interface ChangelogFunctions {
  getReleaseLine(changeset: { summary: string; commit?: string }): Promise<string>;
  getDependencyReleaseLine(
    changesets: { commit?: string }[],
    dependenciesUpdated: { name: string; newVersion: string }[],
  ): Promise<string>;
}

const config = createRequire(import.meta.url)(join(REPO_ROOT, '.changeset/config.json')) as {
  changelog: string;
};
const lines = (
  createRequire(import.meta.url)(join(REPO_ROOT, '.changeset', config.changelog)) as {
    default: ChangelogFunctions;
  }
).default;

describe('.changeset/changelog.cjs', () => {
  it('is the changelog config.json names', () => {
    expect(config.changelog).toBe('./changelog.cjs');
  });

  it('writes a changeset as one list item, after its short commit, later lines indented', async () => {
    expect(
      await lines.getReleaseLine({ summary: 'First release.\n\n- a detail  ', commit: 'abcdef0123' }),
    ).toBe('- abcdef0: First release.\n\n  - a detail');
    expect(await lines.getReleaseLine({ summary: 'No commit yet.' })).toBe('- No commit yet.');
  });

  it('writes one "Updated dependencies" line for many changesets, naming each commit once', async () => {
    const deps = [
      { name: '@mems/core', newVersion: '0.1.0' },
      { name: '@mems/os', newVersion: '0.1.0' },
    ];
    expect(
      await lines.getDependencyReleaseLine(
        [{ commit: 'aaaaaaa111' }, { commit: 'aaaaaaa111' }, { commit: 'bbbbbbb222' }, {}],
        deps,
      ),
    ).toBe('- Updated dependencies [aaaaaaa, bbbbbbb]\n  - @mems/core@0.1.0\n  - @mems/os@0.1.0');
    expect(await lines.getDependencyReleaseLine([{}, {}], deps)).toBe(
      '- Updated dependencies\n  - @mems/core@0.1.0\n  - @mems/os@0.1.0',
    );
    expect(await lines.getDependencyReleaseLine([{ commit: 'aaaaaaa' }], [])).toBe('');
  });
});
