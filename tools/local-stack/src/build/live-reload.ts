import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ServiceName } from '../config';
import { colors, type Logger } from '../log';
import type { HandlerBuilder } from './handler-builder';
import type { TypeChecker } from './type-checker';

/** What a saved file means to the running stack. */
export type Change = { kind: 'source'; file: string } | { kind: 'config'; service: ServiceName | 'all'; file: string } | { kind: 'ignored' };

const CONFIG_FILE = /\.(ya?ml|json|js)$/;
const IGNORED_FOLDERS = new Set(['node_modules', '.serverless', '.esbuild', 'test', 'coverage']);

/** Build output, dependencies and tests never change a bundle (by path relative to the repository). */
export function inIgnoredFolder(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => IGNORED_FOLDERS.has(part));
}

/**
 * Sorts a path relative to the repository: a service's own config (its serverless.yml, the files
 * it includes beside it or under resources/) restarts that service, shared/serverless restarts
 * all of them, and a TypeScript file under a src/ folder is a source for the bundles.
 */
export function classifyChange(relative: string, services: readonly ServiceName[]): Change {
  const parts = relative.split(/[\\/]/);
  if (inIgnoredFolder(relative) || parts.some((part) => part.startsWith('.#') || part.endsWith('~'))) return { kind: 'ignored' };
  if (parts[0] === 'shared') {
    if (parts[1] === 'src' && /\.tsx?$/.test(relative)) return { kind: 'source', file: relative };
    if (parts[1] === 'serverless' && CONFIG_FILE.test(relative)) return { kind: 'config', service: 'all', file: relative };
    return { kind: 'ignored' };
  }
  const service = services.find((name) => parts[0] === 'services' && parts[1] === name);
  if (!service) return { kind: 'ignored' };
  if (parts[2] === 'src' && /\.tsx?$/.test(relative)) return { kind: 'source', file: relative };
  const atRoot = parts.length === 3 && /\.ya?ml$/.test(parts[2]!);
  const resource = parts[2] === 'resources' && /\.(ya?ml|json)$/.test(relative);
  if (atRoot || resource) return { kind: 'config', service, file: relative };
  return { kind: 'ignored' };
}

export interface LiveReloadOptions {
  rootDir: string;
  services: readonly ServiceName[];
  builder: HandlerBuilder;
  logger: Logger;
  typeChecker?: TypeChecker;
  /** A service's configuration changed ('all' for shared/serverless): package, provision, restart. */
  onConfigChange: (service: ServiceName | 'all', files: string[]) => Promise<void>;
  /** How long to gather the events of one save (editors write a file in several steps). */
  settleMs?: number;
}

/**
 * Watches services/ and shared/ while the stack runs. A saved source rebuilds the bundles and
 * swaps in the changed ones (the next invocation of those functions runs the new code); a failed
 * build is printed and the previous bundles keep serving until a save mends it; a changed
 * serverless.yml restarts only its service. Saves that arrive during a rebuild are taken next.
 */
export class LiveReload {
  private watcher: FSWatcher | undefined;
  private readonly pendingSources = new Set<string>();
  private readonly pendingConfig = new Map<ServiceName | 'all', Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private stopped = false;

  constructor(private readonly options: LiveReloadOptions) {}

  /** Resolves once the watcher has read the folders (a save before that could be missed). */
  start(): Promise<void> {
    const { rootDir, services, logger } = this.options;
    const roots = [...services.map((service) => path.join(rootDir, 'services', service)), path.join(rootDir, 'shared')];
    // chokidar watches each folder (not each file), so an editor's save by rename is seen too.
    const watcher = watch(roots, {
      ignoreInitial: true,
      ignored: (file) => inIgnoredFolder(path.relative(rootDir, file)),
    });
    watcher.on('all', (event, file) => {
      if (event === 'addDir' || event === 'unlinkDir') return;
      this.saw(path.relative(rootDir, file));
    });
    watcher.on('error', (error) => logger.warn(`watching files: ${(error as Error).message}`));
    this.watcher = watcher;
    return new Promise((resolve) => watcher.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private saw(relative: string): void {
    const change = classifyChange(relative, this.options.services);
    if (change.kind === 'ignored' || this.stopped) return;
    if (change.kind === 'source') this.pendingSources.add(change.file);
    else this.pendingConfig.set(change.service, new Set([...(this.pendingConfig.get(change.service) ?? []), change.file]));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running ??= this.drain().finally(() => (this.running = undefined));
    }, this.options.settleMs ?? 20);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (this.pendingSources.size > 0 || this.pendingConfig.size > 0)) {
      const config = [...this.pendingConfig];
      this.pendingConfig.clear();
      for (const [service, files] of config) {
        try {
          await this.options.onConfigChange(service, [...files]);
        } catch (error) {
          this.options.logger.error(`${service === 'all' ? 'every service' : service}: ${(error as Error).message}`);
        }
      }
      const sources = [...this.pendingSources];
      this.pendingSources.clear();
      if (sources.length > 0) await this.rebuild(sources);
    }
  }

  private async rebuild(files: string[]): Promise<void> {
    const { builder, logger, rootDir, typeChecker } = this.options;
    if (!files.some((file) => builder.affects(path.join(rootDir, file)))) {
      typeChecker?.schedule();
      return;
    }
    const result = await builder.build();
    const saved = files.length === 1 ? files[0]! : `${files.length} files`;
    if (!result.ok) {
      this.failing = true;
      logger.error(`build failed at ${result.location ?? saved}; the previous build keeps serving`);
      for (const line of result.message.trimEnd().split('\n')) logger.info(line);
    } else {
      const recovered = this.failing ? `build mended (${saved})` : undefined;
      this.failing = false;
      if (result.changed.length === 0) {
        if (recovered) logger.info(`${colors.green('✓')} ${recovered}; no bundle changed`);
      } else {
        const names = result.changed.map((entry) => entry.functionName).join(', ');
        logger.info(`${colors.green('↻')} ${recovered ?? saved}: reloaded ${names} ${colors.dim(`(${Math.round(result.durationMs)} ms)`)}`);
      }
    }
    typeChecker?.schedule();
  }
}
