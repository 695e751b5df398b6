/**
 * Every relative link in the repository's Markdown (and the heading its `#anchor` names), and every
 * `*.md` path named in its code, configuration and prose, points at something that exists. Reads
 * the files git knows of: tracked, plus new ones not ignored.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '' && existsSync(path.join(ROOT, file)));
const TEXT = /(\.(md|ts|js|cjs|mjs|yml|yaml|json|sh)|^\.ci\/run)$/;
// The lock file names packages' READMEs; the bench results are generated output.
const SKIP = /^(package-lock\.json|tools\/perf\/results\/)/;
const basenames = new Set(files.map((file) => path.basename(file)));

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const withoutCodeBlocks = (markdown: string) => markdown.replace(/^ *(```|~~~)[\s\S]*?^ *\1/gm, '');

/** `[text](target)` in Markdown outside code blocks: relative targets only (no scheme). */
function markdownTargets(markdown: string): string[] {
  return [...withoutCodeBlocks(markdown).matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target));
}

/** Paths to Markdown files named in code or prose (`docs/security.md`, `tools/perf/README.md`), links left out. */
function namedMarkdownPaths(text: string): string[] {
  return [...text.replace(/\]\([^)]*\)/g, ']').matchAll(/(?<![\w@/.:-])((?:\.\.?\/)*[\w.-]+(?:\/[\w.-]+)*\.md)\b/g)].map((m) => m[1] ?? '');
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading = ''] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Why `target` named in `file` is dead, or undefined when it resolves. */
function deadBecause(file: string, target: string, kind: 'link' | 'named'): string | undefined {
  const [rawPath = '', anchor] = target.split('#', 2);
  const clean = decodeURIComponent(rawPath.replace(/\?.*$/, ''));
  let resolved: string;
  if (clean === '') {
    resolved = path.join(ROOT, file);
  } else if (kind === 'named' && !clean.includes('/')) {
    // A bare file name (`summary.md`) is ambiguous: it must at least be some file's name.
    return basenames.has(clean) ? undefined : 'no file of that name';
  } else {
    // A link starting with `/` is from the repository root (as GitHub reads it), any other from the file.
    const fromFile = clean.startsWith('/') ? path.join(ROOT, clean) : path.resolve(ROOT, path.dirname(file), clean);
    // Code and prose may also name a path from the repository root without the `/`; a Markdown link may not.
    const fromRoot = path.resolve(ROOT, clean);
    const candidates = kind === 'named' && !clean.startsWith('.') ? [fromFile, fromRoot] : [fromFile];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (found === undefined) return 'no such file';
    resolved = found;
  }
  if (anchor === undefined || anchor === '' || !resolved.endsWith('.md')) return undefined;
  return headingAnchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? undefined : 'no such heading';
}

test('no dead relative links, anchors or named Markdown paths', () => {
  const dead: string[] = [];
  for (const file of files) {
    if (!TEXT.test(file) || SKIP.test(file)) continue;
    const text = read(file);
    const targets: [string, 'link' | 'named'][] = [
      ...(file.endsWith('.md') ? markdownTargets(text).map((t): [string, 'link'] => [t, 'link']) : []),
      ...namedMarkdownPaths(text).map((t): [string, 'named'] => [t, 'named']),
    ];
    for (const [target, kind] of new Map(targets.map(([t, k]) => [`${k} ${t}`, [t, k] as const])).values()) {
      const why = deadBecause(file, target, kind);
      if (why !== undefined) dead.push(`${file}: ${target} (${why})`);
    }
  }
  expect(dead).toEqual([]);
});

test('the anchor rule matches GitHub on the headings this repository uses', () => {
  const anchors = headingAnchors('## Measured (`npm run bench:local`)\n## Express workflows\n## Tests\n## Tests\n```sh\n# not a heading\n```\n');
  expect([...anchors]).toEqual(['measured-npm-run-benchlocal', 'express-workflows', 'tests', 'tests-1']);
});
