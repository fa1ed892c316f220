// The lines `pnpm changeset version` writes into each package's CHANGELOG.md: the format of
// @changesets/changelog-git (the changeset's summary, after its commit when there is one), except
// that a release caused by updated dependencies gets one "Updated dependencies" line naming each
// commit once, instead of one identical line per changeset.

/**
 * One changelog entry for a changeset.
 * @param {{ summary: string, commit?: string }} changeset the changeset.
 * @returns {Promise<string>} a markdown list item; later lines of the summary indented under it.
 */
async function getReleaseLine(changeset) {
  const [firstLine, ...laterLines] = changeset.summary.split('\n').map((line) => line.trimEnd());
  const commit = changeset.commit ? `${changeset.commit.slice(0, 7)}: ` : '';
  return [`- ${commit}${firstLine}`, ...laterLines.map((line) => (line ? `  ${line}` : line))].join('\n');
}

/**
 * The entry for a release caused by dependencies that were released.
 * @param {{ commit?: string }[]} changesets the changesets that released the dependencies.
 * @param {{ name: string, newVersion: string }[]} dependenciesUpdated the dependencies and their new versions.
 * @returns {Promise<string>} one list item with the dependencies under it, or '' when none changed.
 */
async function getDependencyReleaseLine(changesets, dependenciesUpdated) {
  if (dependenciesUpdated.length === 0) return '';
  const commits = [...new Set(changesets.flatMap((c) => (c.commit ? [c.commit.slice(0, 7)] : [])))];
  const head = `- Updated dependencies${commits.length ? ` [${commits.join(', ')}]` : ''}`;
  return [head, ...dependenciesUpdated.map((d) => `  - ${d.name}@${d.newVersion}`)].join('\n');
}

module.exports = { default: { getReleaseLine, getDependencyReleaseLine } };
