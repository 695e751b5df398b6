import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where stdout and stderr go (appended). */
  logFile: string;
  /** Also echo each output line here (the --verbose console). */
  echo?: (line: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const TAIL_LINES = 30;

/**
 * A child process in its own process group, so that stopping it also stops whatever it spawned
 * (serverless-offline's esbuild service, Java's helpers) and a Ctrl-C in the terminal reaches the
 * stack first, which then stops its children in order.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  private readonly tail: string[] = [];
  private readonly log: WriteStream;
  private exitInfo: ExitInfo | undefined;

  private constructor(readonly options: ManagedProcessOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise<ExitInfo>((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      // A spawn failure (ENOENT) emits 'error' and never 'exit'.
      this.child.once('error', (error) => {
        this.remember(`${error.name}: ${error.message}`);
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      let partial = '';
      stream?.on('data', (chunk: string) => {
        this.log.write(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.remember(line);
      });
    }
  }

  static start(options: ManagedProcessOptions): ManagedProcess {
    return new ManagedProcess(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines it printed, for an error message. */
  recentOutput(lines = TAIL_LINES): string {
    return this.tail.slice(-lines).join('\n');
  }

  private remember(line: string): void {
    const clean = line.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
    if (clean === '') return;
    this.tail.push(clean);
    if (this.tail.length > TAIL_LINES * 2) this.tail.splice(0, this.tail.length - TAIL_LINES);
    this.options.echo?.(clean);
  }

  /** SIGTERM to the whole group, then SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (this.running && this.pid !== undefined) {
      signalGroup(this.pid, 'SIGTERM');
      const timer = setTimeout(() => this.pid !== undefined && signalGroup(this.pid, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    // The leader may exit before the rest of its group (esbuild's service process): sweep it.
    if (this.pid !== undefined) signalGroup(this.pid, 'SIGKILL');
    if (!this.log.closed) {
      this.log.end();
      await once(this.log, 'close').catch(() => undefined);
    }
    return this.exitInfo ?? { code: null, signal: null };
  }
}

/** Signals a process group; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
