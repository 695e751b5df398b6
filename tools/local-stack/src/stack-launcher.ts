import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './config';
import { readEndpoints, type StackEndpoints } from './endpoints';
import { isAlive, signalGroup } from './process/managed-process';
import { sleep } from './process/wait';

/**
 * Starting and stopping `npm start`'s entry point from another process: the e2e tests, the
 * restart test, the benches and the cost run. The started stack is a detached process group.
 */

/** The stack process is alive and its admin server answers /health. */
export async function healthy(endpoints: StackEndpoints): Promise<boolean> {
  if (!isAlive(endpoints.pid)) return false;
  try {
    return (await fetch(`${endpoints.admin}/health`, { signal: AbortSignal.timeout(3000) })).ok;
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
  /** The Node that runs it; default this process's. */
  node?: string;
  /** The repository whose stack it is (a scratch copy, say); default this one. */
  rootDir?: string;
}): Promise<SpawnedStack> {
  mkdirSync(path.dirname(options.log), { recursive: true });
  const out = openSync(options.log, 'a');
  const child = spawn(options.node ?? process.execPath, ['--import', 'tsx', path.join('tools', 'local-stack', 'src', 'start.ts'), ...(options.args ?? [])], {
    cwd: options.rootDir ?? REPO_ROOT,
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
