import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import { colors, type Logger } from '../log';

/** The first `file(line,col): error TSxxxx: message` lines of tsc's output. */
export function typeErrors(output: string): string[] {
  return output.split('\n').filter((line) => /\): error TS\d+:/.test(line));
}

export interface TypeCheckerOptions {
  rootDir: string;
  /** tsc's incremental state, kept between runs (and restarts) so a check after a save is quick. */
  buildInfoFile: string;
  logger: Logger;
  /** How long after the last save to start (saves in a row make one check). */
  delayMs?: number;
  /** How many errors to print. */
  shown?: number;
}

/**
 * Type errors, reported after a save without holding the reload back: a one-shot incremental
 * `tsc --noEmit` at low priority, one at a time. A watching tsc would answer sooner but keeps
 * 400-600 MB resident for the whole session; this one uses that memory only while it runs.
 */
export class TypeChecker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private reported = 0;
  private stopped = false;
  private child: ReturnType<typeof spawn> | undefined;

  constructor(private readonly options: TypeCheckerOptions) {}

  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.check().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    }, this.options.delayMs ?? 300);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.child?.kill();
    await this.running;
  }

  private check(): Promise<void> {
    const { rootDir, buildInfoFile, logger } = this.options;
    const tsc = require.resolve('typescript/bin/tsc');
    const args = [tsc, '-p', path.join(rootDir, 'tsconfig.json'), '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfoFile, '--pretty', 'false'];
    return new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      if (child.pid) {
        try {
          setPriority(child.pid, 10);
        } catch {
          // Not allowed here: it then runs at normal priority.
        }
      }
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', () => {
        this.child = undefined;
        if (this.stopped) return resolve();
        const errors = typeErrors(output);
        if (errors.length > 0) {
          logger.warn(`type errors (${errors.length}); the reload is not held back:`);
          for (const line of errors.slice(0, this.options.shown ?? 5)) logger.info(colors.dim(line));
          if (errors.length > (this.options.shown ?? 5)) logger.info(colors.dim(`… and ${errors.length - (this.options.shown ?? 5)} more: npm run typecheck`));
        } else if (this.reported > 0) {
          logger.info(`${colors.green('✓')} types check again`);
        }
        this.reported = errors.length;
        resolve();
      });
      child.on('error', (error) => {
        logger.warn(`type check could not run: ${error.message}`);
        resolve();
      });
    });
  }
}
