import { rmSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORT_BASE, REPO_ROOT } from '../../../tools/local-stack/src/config';
import { readEndpoints, type StackEndpoints } from '../../../tools/local-stack/src/endpoints';
import { endpointsFilePath } from '../../../ops/src/target';
import { restartOwnedStack, runningStack, runOwnsStack, spawnStack, stopStackProcess } from '../stack-process';

/**
 * A stack that a test may stop and start again (the restart tests). When this e2e run started the
 * shared stack, that stack is restarted in place (its packaged templates are reused, so a restart
 * is a plain start). When the run uses a developer's `npm start`, which it must not stop, the test
 * starts a stack of its own (its own data folder .local/<name>-e2e and ports at base + 500).
 */
export interface RestartableStack {
  dataDir: string;
  start(): Promise<StackEndpoints>;
  stop(): Promise<void>;
  /** After the test: the shared stack runs again for the next files; a stack of its own is gone. */
  cleanUp(): Promise<void>;
}

/** The run's own shared stack: restarted in place. */
function sharedStack(): RestartableStack {
  const endpointsFile = endpointsFilePath();
  const current = () => readEndpoints(endpointsFile);
  let running = true;
  return {
    dataDir: path.dirname(endpointsFile),
    start: async () => {
      const endpoints = running ? current() : await restartOwnedStack();
      if (!endpoints) throw new Error(`the e2e stack is not running (no ${endpointsFile})`);
      running = true;
      return endpoints;
    },
    stop: async () => {
      running = false;
      await stopStackProcess(current()?.pid);
    },
    cleanUp: async () => {
      if (!(await runningStack())) await restartOwnedStack();
    },
  };
}

/** A second stack with its own data folder and ports, so that a developer's stack is not disturbed. */
function ownStack(name: string): RestartableStack {
  const dataDir = path.join(REPO_ROOT, '.local', `${name}-e2e`);
  const portBase = Number(process.env.LOCAL_PORT_BASE || DEFAULT_PORT_BASE) + 500;
  const log = path.join(REPO_ROOT, '.local', 'logs', `e2e-${name}-stack.log`);
  let pid: number | undefined;
  let fresh = true;
  const stop = async () => {
    const running = pid;
    pid = undefined;
    // SIGTERM, as Ctrl-C would: the stack stops every component cleanly.
    await stopStackProcess(running);
  };
  return {
    dataDir,
    start: async () => {
      const started = await spawnStack({
        log,
        args: fresh ? ['--fresh'] : [],
        env: { LOCAL_DATA_DIR: dataDir, LOCAL_PORT_BASE: String(portBase) },
        endpointsFile: path.join(dataDir, 'endpoints.json'),
        onSpawn: (spawned) => (pid = spawned),
      });
      fresh = false;
      return started.endpoints;
    },
    stop,
    cleanUp: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function restartableStack(name: string): RestartableStack {
  return runOwnsStack() ? sharedStack() : ownStack(name);
}
