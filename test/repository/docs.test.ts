/**
 * The docs keep one copy of each fact: README.md stays a short front page, and no paragraph line
 * or table row is repeated in a second Markdown file (link to it instead). Reads the Markdown files
 * git knows of: tracked, plus new ones not ignored.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const markdown = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  // The bench's own summary restates its results; docs/performance.md is the page that explains them.
  .filter((file) => file !== '' && !file.startsWith('tools/perf/results/') && existsSync(path.join(ROOT, file)));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

test('README.md is at most 200 lines', () => {
  expect(read('README.md').split('\n').length - 1).toBeLessThanOrEqual(200);
});

test('no paragraph line or table row appears in two Markdown files', () => {
  const homes = new Map<string, Set<string>>();
  for (const file of markdown) {
    const prose = read(file).replace(/^ *(```|~~~)[\s\S]*?^ *\1/gm, '');
    for (const raw of prose.split('\n')) {
      const line = raw.trim();
      // Long enough to be a fact, not a heading, separator or marker.
      if (line.length < 60 || /^(#|<!--)/.test(line) || /^[|:\s-]+$/.test(line)) continue;
      homes.set(line, (homes.get(line) ?? new Set()).add(file));
    }
  }
  const repeated = [...homes].filter(([, files]) => files.size > 1).map(([line, files]) => `${[...files].join(' + ')}: ${line.slice(0, 100)}`);
  expect(repeated).toEqual([]);
});
