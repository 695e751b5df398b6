import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isAlive, signalGroup } from './managed-process';

/**
 * `.local/stack.json`: the pid of the running `npm start` and of every process group it spawned.
 * It lets a second `npm start` say "already running", and lets the next start clean up after a
 * stack that was killed with SIGKILL (which no handler can catch) instead of tripping on its ports.
 */
export interface StackState {
  pid: number;
  startedAt: string;
  children: Array<{ name: string; pid: number; marker: string }>;
}

export function readStackState(file: string): StackState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeStackState(file: string, state: StackState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeStackState(file: string): void {
  rmSync(file, { force: true });
}

/** True when `pid` is alive and its command line contains `marker` (guards against pid reuse). */
export function processMatches(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    // No /proc (macOS): trust the pid.
    return true;
  }
}

/** Kills the process groups a dead stack left behind; returns their names. */
export function reapOrphans(state: StackState): string[] {
  const reaped: string[] = [];
  for (const child of state.children) {
    if (processMatches(child.pid, child.marker) && signalGroup(child.pid, 'SIGKILL')) reaped.push(`${child.name} (pid ${child.pid})`);
  }
  return reaped;
}
