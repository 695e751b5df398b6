import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import type { StackEndpoints } from '../../tools/local-stack/src/endpoints';
import { spawnStack, stopStackProcess } from '../../tools/local-stack/src/stack-launcher';

export { runningStack, spawnStack, stopStackProcess } from '../../tools/local-stack/src/stack-launcher';

/**
 * The stack this process started (and must stop). Jest runs globalSetup and globalTeardown in the
 * same process, so the pid lives in memory: a file would be shared with every other process that
 * uses .local/ at the same time.
 */
const owned = globalThis as typeof globalThis & { __localStackOwnedPid?: number };
export const E2E_STACK_LOG = path.join(REPO_ROOT, '.local', 'logs', 'e2e-stack.log');

/**
 * Starts the stack for this run (its output in .local/logs/e2e-stack.log) and waits until it is
 * ready. A first start on a fresh clone packages every service: allow minutes.
 */
export async function startStack(timeoutMs = 12 * 60_000): Promise<StackEndpoints> {
  mkdirSync(path.dirname(E2E_STACK_LOG), { recursive: true });
  writeFileSync(E2E_STACK_LOG, '');
  const { endpoints } = await spawnStack({ log: E2E_STACK_LOG, timeoutMs, onSpawn: (pid) => (owned.__localStackOwnedPid = pid) });
  return endpoints;
}

/** Stops the stack this run started, if any. */
export async function stopOwnedStack(graceMs = 60_000): Promise<void> {
  const pid = owned.__localStackOwnedPid;
  owned.__localStackOwnedPid = undefined;
  await stopStackProcess(pid, graceMs);
}
