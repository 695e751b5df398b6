import { readdirSync, readFileSync } from 'node:fs';

/**
 * Reading the process tree from /proc (Linux): children of a pid, their command lines and the
 * resident memory of a whole tree. Elsewhere (no /proc) every function reports nothing.
 */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  rssBytes: number;
  command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid, rssBytes: rssKb * 1024, command };
  } catch {
    return undefined;
  }
}

export function allProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.map((name) => readProcess(Number(name))).filter((info): info is ProcessInfo => info !== undefined);
}

/** The process and all its descendants. */
export function processTree(rootPid: number, processes = allProcesses()): ProcessInfo[] {
  const byParent = new Map<number, ProcessInfo[]>();
  for (const info of processes) byParent.set(info.ppid, [...(byParent.get(info.ppid) ?? []), info]);
  const root = processes.find((info) => info.pid === rootPid);
  if (!root) return [];
  const tree: ProcessInfo[] = [];
  const visit = (info: ProcessInfo) => {
    tree.push(info);
    for (const child of byParent.get(info.pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

export function treeRssBytes(rootPid: number): number {
  return processTree(rootPid).reduce((sum, info) => sum + info.rssBytes, 0);
}
