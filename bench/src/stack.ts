import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readEndpoints, type StackEndpoints } from '../../local-stack/src/endpoints';
import { node22, REPO_ROOT } from './paths';

/**
 * The local stack for the hot-path bench and the cost run: the one `npm start` is running (its
 * .local/endpoints.json), or one this process starts itself (the same entry point as `npm start`,
 * in its own process group, logging to .local/logs/bench-stack.log) and stops afterwards.
 */

export const DATA_DIR = path.resolve(REPO_ROOT, process.env.LOCAL_DATA_DIR || '.local');
export const LOGS_DIR = path.join(DATA_DIR, 'logs');
export const STACK_LOG = path.join(LOGS_DIR, 'bench-stack.log');

export interface StackHandle {
  endpoints: StackEndpoints;
  /** true when this process started it (and `stop` stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(endpoints: StackEndpoints): Promise<boolean> {
  if (!alive(endpoints.pid)) return false;
  try {
    return (await fetch(`${endpoints.admin}/health`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running, healthy stack's endpoints, or undefined. */
export async function runningStack(): Promise<StackEndpoints | undefined> {
  const endpoints = readEndpoints();
  return endpoints && (await healthy(endpoints)) ? endpoints : undefined;
}

export async function useOrStartStack(log: (line: string) => void, timeoutMs = 12 * 60_000): Promise<StackHandle> {
  const running = await runningStack();
  if (running) {
    log(`Using the running local stack (pid ${running.pid}, started ${running.startedAt}).`);
    return { endpoints: running, owned: false, stop: async () => undefined };
  }
  log(`No local stack is running: starting one (npm start's entry point; log in ${path.relative(REPO_ROOT, STACK_LOG)}; a first start packages every service, allow minutes)…`);
  mkdirSync(LOGS_DIR, { recursive: true });
  const out = openSync(STACK_LOG, 'w');
  const child = spawn(node22(), ['--import', 'tsx', path.join('local-stack', 'src', 'start.ts')], {
    cwd: REPO_ROOT,
    env: process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (alive(pid) && Date.now() < deadline) await sleep(200);
    if (alive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const endpoints = readEndpoints();
    if (endpoints?.pid === pid && (await healthy(endpoints))) {
      log(`Local stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s (pid ${pid}).`);
      return { endpoints, owned: true, stop };
    }
    if (exited) break;
    await sleep(500);
  }
  await stop();
  const tail = readFileSync(STACK_LOG, 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`the local stack did not become ready (${exited ? 'it exited' : 'timed out'}):\n${tail}`);
}
