import { readFileSync } from 'node:fs';
import { isAlive } from './managed-process';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** This process's ancestors, nearest first, up to (not including) init. */
export function ancestors(pid = process.pid): number[] {
  const chain: number[] = [];
  for (let parent = parentOf(pid); parent !== undefined && parent > 1 && chain.length < 16; parent = parentOf(parent)) {
    chain.push(parent);
  }
  return chain;
}

/**
 * Calls `onOrphaned` once any process that launched this one has exited. `npm start` does not
 * pass a SIGTERM sent to npm on to its script (the shell between them takes it), and a test
 * runner that started the stack may die without a word; either way the stack must not outlive
 * whoever started it.
 */
export function watchAncestors(onOrphaned: (pid: number) => void, intervalMs = 500): () => void {
  const watched = ancestors();
  const timer = setInterval(() => {
    const gone = watched.find((pid) => !isAlive(pid));
    if (gone !== undefined) {
      clearInterval(timer);
      onOrphaned(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
