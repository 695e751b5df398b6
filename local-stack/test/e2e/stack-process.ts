import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config';
import { readEndpoints, type StackEndpoints } from '../../src/endpoints';
import { isAlive, signalGroup } from '../../src/process/managed-process';
import { sleep } from '../../src/process/wait';

/**
 * The stack this process started (and must stop). Jest runs globalSetup and globalTeardown in the
 * same process, so the pid lives in memory: a file would be shared with every other process that
 * uses .local/ at the same time.
 */
const owned = globalThis as typeof globalThis & { __localStackOwnedPid?: number };
export const E2E_STACK_LOG = path.join(REPO_ROOT, '.local', 'logs', 'e2e-stack.log');

async function healthy(endpoints: StackEndpoints): Promise<boolean> {
  if (!isAlive(endpoints.pid)) return false;
  try {
    return (await fetch(`${endpoints.admin}/health`)).ok;
  } catch {
    return false;
  }
}

/** A running, healthy stack's endpoints, or undefined. */
export async function runningStack(): Promise<StackEndpoints | undefined> {
  const endpoints = readEndpoints();
  return endpoints && (await healthy(endpoints)) ? endpoints : undefined;
}

/**
 * Starts `npm start`'s entry point as a child (its output in .local/logs/e2e-stack.log) and waits
 * until it is ready. A first start on a fresh clone packages every service: allow minutes.
 */
export async function startStack(timeoutMs = 12 * 60_000): Promise<StackEndpoints> {
  mkdirSync(path.dirname(E2E_STACK_LOG), { recursive: true });
  const log = openSync(E2E_STACK_LOG, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('local-stack', 'src', 'start.ts')], {
    cwd: REPO_ROOT,
    env: process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = child.pid!;
  owned.__localStackOwnedPid = pid;
  child.unref();
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    const endpoints = readEndpoints();
    if (endpoints?.pid === pid && (await healthy(endpoints))) return endpoints;
    if (exited) break;
    await sleep(500);
  }
  await stopOwnedStack();
  const output = readFileSync(E2E_STACK_LOG, 'utf8').split('\n').slice(-25).join('\n');
  throw new Error(`the local stack did not become ready (${exited ? 'it exited' : 'timed out'}):\n${output}`);
}

/** Stops the stack this run started, if any: SIGTERM (a clean stop), then SIGKILL to its group. */
export async function stopOwnedStack(graceMs = 60_000): Promise<void> {
  const pid = owned.__localStackOwnedPid;
  owned.__localStackOwnedPid = undefined;
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
}
