import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import { readEndpoints, type StackEndpoints } from '../../tools/local-stack/src/endpoints';
import { spawnStack, stopStackProcess } from '../../tools/local-stack/src/stack-launcher';

export { runningStack, spawnStack, stopStackProcess } from '../../tools/local-stack/src/stack-launcher';

/**
 * The stack this process started (and must stop). Jest runs globalSetup and globalTeardown in the
 * same process, so the pid lives in memory: a file would be shared with every other process that
 * uses .local/ at the same time. The test workers (forked after globalSetup) learn that the run
 * owns its stack from OWNED_STACK_ENV, so the restart test may restart it.
 */
const owned = globalThis as typeof globalThis & { __localStackOwnedPid?: number };
export const E2E_STACK_LOG = path.join(REPO_ROOT, '.local', 'logs', 'e2e-stack.log');
export const OWNED_STACK_ENV = 'E2E_OWNS_STACK';

/** This e2e run started the stack it tests (rather than using a developer's `npm start`). */
export const runOwnsStack = () => process.env[OWNED_STACK_ENV] === '1';

/**
 * Starts the stack for this run (its output in .local/logs/e2e-stack.log) and waits until it is
 * ready. A first start on a fresh clone packages every service: allow minutes.
 */
export async function startStack(timeoutMs = 12 * 60_000): Promise<StackEndpoints> {
  mkdirSync(path.dirname(E2E_STACK_LOG), { recursive: true });
  writeFileSync(E2E_STACK_LOG, '');
  const { endpoints } = await spawnStack({ log: E2E_STACK_LOG, timeoutMs, onSpawn: (pid) => (owned.__localStackOwnedPid = pid) });
  process.env[OWNED_STACK_ENV] = '1';
  return endpoints;
}

/** Starts the run's stack again, on its data (the restart test); appends to the same log. */
export async function restartOwnedStack(timeoutMs = 12 * 60_000): Promise<StackEndpoints> {
  const { endpoints } = await spawnStack({ log: E2E_STACK_LOG, timeoutMs });
  return endpoints;
}

/** Stops the stack this run started, if any: whichever process serves it now (the restart test replaces it). */
export async function stopOwnedStack(graceMs = 60_000): Promise<void> {
  const pid = owned.__localStackOwnedPid;
  owned.__localStackOwnedPid = undefined;
  if (pid === undefined) return;
  delete process.env[OWNED_STACK_ENV];
  const current = readEndpoints()?.pid;
  await stopStackProcess(pid, graceMs);
  if (current !== undefined && current !== pid) await stopStackProcess(current, graceMs);
}
