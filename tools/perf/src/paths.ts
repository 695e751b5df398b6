import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVICES = ['order', 'inventory', 'payment', 'notification'] as const;
export type Service = (typeof SERVICES)[number];

/** Bundles and scratch files (git-ignored). */
export const BUILD_DIR = path.join(REPO_ROOT, '.bench', 'cold-start');
/** What the benches report: JSON per part and summary.md. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'tools', 'perf', 'results');

/** The Node 22 the project runs on (the `node` devDependency), else the current one. */
export function node22(): string {
  const local = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}
