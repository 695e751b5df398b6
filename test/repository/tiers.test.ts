import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Config } from 'jest';
import { replaceRootDirInPath } from 'jest-config';
import { globsToMatcher } from 'jest-util';
import config from '../../jest.config';

/**
 * Every test file belongs to exactly one jest project (tier): a file that matches none never runs,
 * and one that matches two runs twice. The matching is jest's own (SearchSource): testMatch globs
 * through jest-util's globsToMatcher, testPathIgnorePatterns as one regular expression.
 */
const ROOT = path.resolve(__dirname, '../..');
const projects = (config.projects ?? []) as Config[];

function matcherOf(project: Config): (file: string) => boolean {
  const matches = globsToMatcher([project.testMatch ?? []].flat().map((glob) => replaceRootDirInPath(ROOT, glob)));
  const ignored = new RegExp((project.testPathIgnorePatterns ?? ['/node_modules/']).map((p) => replaceRootDirInPath(ROOT, p)).join('|'));
  return (file) => matches(file) && !ignored.test(file);
}

const tiers = projects.map((project) => ({ name: String(project.displayName), matches: matcherOf(project) }));
const testFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.test.ts'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

describe('test tiers', () => {
  it('has the five tiers', () => {
    expect(tiers.map((t) => t.name)).toEqual(['unit', 'integration', 'templates', 'e2e', 'repository']);
  });

  it('finds the test files', () => {
    expect(testFiles.length).toBeGreaterThan(100);
  });

  it('puts every test file in exactly one tier', () => {
    const misplaced = testFiles
      .map((file) => ({ file, tiers: tiers.filter((t) => t.matches(path.join(ROOT, file))).map((t) => t.name) }))
      .filter((entry) => entry.tiers.length !== 1);
    expect(misplaced).toEqual([]);
  });

  it('gives every tier at least one test file', () => {
    const empty = tiers.filter((t) => !testFiles.some((file) => t.matches(path.join(ROOT, file)))).map((t) => t.name);
    expect(empty).toEqual([]);
  });
});
