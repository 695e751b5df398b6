import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './config';

export interface ScratchRepo {
  /** The copy's root: run the stack there and edit its files freely. */
  dir: string;
  dispose(): void;
}

/**
 * A copy of the repository's files as they are in the work tree (tracked and new, not ignored),
 * sharing node_modules through a symlink: tests and benches edit code there, never in the
 * developer's tree. `templatesFrom` seeds its .local/ with another stack's packaged templates
 * (the cache key is relative to the repository), so its first start need not package again.
 */
export function createScratchRepo(options: { from?: string; templatesFrom?: string } = {}): ScratchRepo {
  const from = options.from ?? REPO_ROOT;
  const dir = mkdtempSync(path.join(tmpdir(), 'order-platform-scratch-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: from, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const source = path.join(from, file);
    if (!existsSync(source)) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(source, path.join(dir, file));
  }
  symlinkSync(path.join(from, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (options.templatesFrom && existsSync(path.join(options.templatesFrom, 'templates')) && existsSync(path.join(options.templatesFrom, 'package-cache.json'))) {
    mkdirSync(path.join(dir, '.local'), { recursive: true });
    cpSync(path.join(options.templatesFrom, 'templates'), path.join(dir, '.local', 'templates'), { recursive: true });
    cpSync(path.join(options.templatesFrom, 'package-cache.json'), path.join(dir, '.local', 'package-cache.json'));
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
