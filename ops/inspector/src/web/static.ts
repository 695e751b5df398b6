import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The page's own files (ops/inspector/web/): a fixed list, read from disk per request so an edit shows
 * on reload, and nothing else on disk is reachable.
 */
export const WEB_ROOT = path.resolve(__dirname, '../../web');

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export async function staticFile(urlPath: string, root = WEB_ROOT): Promise<{ body: Buffer; type: string } | undefined> {
  const entry = FILES[urlPath];
  if (!entry) return undefined;
  return { body: await readFile(path.join(root, entry.file)), type: entry.type };
}
