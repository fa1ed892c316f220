import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The READMEs that describe what a page provider must have name every required member of
// `PageProvider` and `Mapping`, read from their declaration in @mems/os.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const declarations = readFileSync(`${root}packages/os/src/page-provider.ts`, 'utf8');

/** The required (not optional) members of an exported interface of page-provider.ts. */
function requiredMembers(name: string): string[] {
  const start = declarations.indexOf(`export interface ${name} {`);
  expect(start, `interface ${name} in page-provider.ts`).toBeGreaterThanOrEqual(0);
  const body = declarations.slice(start, declarations.indexOf('\n}', start));
  const withoutComments = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...withoutComments.matchAll(/^\s+(?:readonly\s+)?(\w+)(\(|:)/gm)].map((match) => match[1]!);
}

/** A README's section from a heading to the next heading of the same or a higher level. */
function section(readme: string, heading: string): string {
  const text = readFileSync(`${root}${readme}`, 'utf8');
  const start = text.indexOf(heading);
  expect(start, `${readme}: ${heading}`).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(heading)![0];
  const next = text.slice(start + heading.length).search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? text.slice(start) : text.slice(start, start + heading.length + next);
}

describe('the provider contract as the READMEs describe it', () => {
  it('reads the members from the declarations', () => {
    expect(requiredMembers('Mapping')).toEqual(expect.arrayContaining(['address', 'buffer', 'provider']));
    expect(requiredMembers('PageProvider')).toEqual(expect.arrayContaining(['name', 'map', 'unmap']));
  });

  it.each([
    ['README.md', '## Add a page provider'],
    ['packages/os/README.md', '## API'],
  ])('%s (%s) names every required member of PageProvider and Mapping', (readme, heading) => {
    const text = section(readme, heading);
    const missing = [...requiredMembers('PageProvider'), ...requiredMembers('Mapping')].filter(
      (member) => !new RegExp(`\`${member}[\`(:]`).test(text),
    );
    expect(missing).toEqual([]);
  });
});
