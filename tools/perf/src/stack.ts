import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runningStack, spawnStack, stopStackProcess } from '../../local-stack/src/stack-launcher';
import type { StackEndpoints } from '../../local-stack/src/endpoints';
import { node22, REPO_ROOT } from './paths';

/**
 * The local stack for the hot-path bench and the cost run: the one `npm start` is running (its
 * .local/endpoints.json), or one this process starts itself (the same entry point as `npm start`,
 * in its own process group, logging to .local/logs/bench-stack.log) and stops afterwards.
 */

export const DATA_DIR = path.resolve(REPO_ROOT, process.env.LOCAL_DATA_DIR || '.local');
export const LOGS_DIR = path.join(DATA_DIR, 'logs');
export const STACK_LOG = path.join(LOGS_DIR, 'bench-stack.log');

export { runningStack };

export interface StackHandle {
  endpoints: StackEndpoints;
  /** true when this process started it (and `stop` stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

export async function useOrStartStack(log: (line: string) => void, timeoutMs = 12 * 60_000): Promise<StackHandle> {
  const running = await runningStack();
  if (running) {
    log(`Using the running local stack (pid ${running.pid}, started ${running.startedAt}).`);
    return { endpoints: running, owned: false, stop: async () => undefined };
  }
  log(`No local stack is running: starting one (npm start's entry point; log in ${path.relative(REPO_ROOT, STACK_LOG)}; a first start packages every service, allow minutes)…`);
  const started = Date.now();
  mkdirSync(LOGS_DIR, { recursive: true });
  writeFileSync(STACK_LOG, '');
  const { pid, endpoints } = await spawnStack({ log: STACK_LOG, timeoutMs, node: node22() });
  log(`Local stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s (pid ${pid}).`);
  return { endpoints, owned: true, stop: () => stopStackProcess(pid) };
}
