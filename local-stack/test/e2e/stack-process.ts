import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
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

export interface SpawnedStack {
  pid: number;
  endpoints: StackEndpoints;
}

/**
 * Starts `npm start`'s entry point as a detached child (its output appended to `log`) and waits
 * until it writes its endpoints file. `env` moves it elsewhere (LOCAL_DATA_DIR, LOCAL_PORT_BASE).
 */
export async function spawnStack(options: {
  log: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  endpointsFile?: string;
  timeoutMs?: number;
  onSpawn?: (pid: number) => void;
}): Promise<SpawnedStack> {
  mkdirSync(path.dirname(options.log), { recursive: true });
  const out = openSync(options.log, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('local-stack', 'src', 'start.ts'), ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const pid = child.pid!;
  options.onSpawn?.(pid);
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 12 * 60_000);
  while (Date.now() < deadline) {
    const endpoints = readEndpoints(options.endpointsFile);
    if (endpoints?.pid === pid && (await healthy(endpoints))) return { pid, endpoints };
    if (!isAlive(pid)) break;
    await sleep(500);
  }
  const why = isAlive(pid) ? 'timed out' : 'it exited';
  await stopStackProcess(pid);
  const output = readFileSync(options.log, 'utf8').split('\n').slice(-25).join('\n');
  throw new Error(`the local stack did not become ready (${why}):\n${output}`);
}

/** SIGTERM (a clean stop, as Ctrl-C), then SIGKILL to its group after the grace period. */
export async function stopStackProcess(pid: number | undefined, graceMs = 60_000): Promise<void> {
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
}

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
