import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { HandlerEntry } from './handler-entries';

/**
 * The local stack's handler bundles, built with one incremental esbuild context for every
 * function of every service, and rebuilt on demand.
 *
 * What deploys is built by serverless-esbuild (minified, dependencies inlined); locally the
 * dependencies stay in node_modules, where each serverless-offline process loads them once. A
 * bundle is then only the project's own code (tens of KiB), so a rebuild of all of them takes
 * a few hundred milliseconds, and a reloaded handler re-runs only the project's initialisation.
 * Only bundles whose bytes changed are written (atomically), so only the functions that import a
 * changed file are reloaded.
 */
export interface BuildSuccess {
  ok: true;
  /** Functions whose bundle changed and was written. */
  changed: HandlerEntry[];
  durationMs: number;
}

export interface BuildFailure {
  ok: false;
  /** esbuild's messages, each with file, line, column and the offending line. */
  message: string;
  /** `file:line:column` of the first error, for a one-line summary. */
  location: string | undefined;
  durationMs: number;
}

export type BuildResult = BuildSuccess | BuildFailure;

export interface HandlerBuilderOptions {
  rootDir: string;
  /** The common root of every entry's output (the stack's `.local/run/`). */
  outDir: string;
  entries: HandlerEntry[];
  /** Colour esbuild's messages (a terminal). */
  color?: boolean;
}

/**
 * Bare imports (packages) load from node_modules at run time, where Node's require() can load
 * them; ESM-only packages with no `require` condition (@middy/*, jose) are bundled. The
 * project's own aliases (@order-platform/*) are always bundled. esbuild itself answers whether a
 * require() would resolve, so that the answer is Node's resolution rules, not this process's.
 */
const dependenciesFromNodeModules: esbuild.Plugin = {
  name: 'dependencies-from-node-modules',
  setup(build) {
    const requirable = new Map<string, Promise<boolean>>();
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.probing || args.path.startsWith('@order-platform/')) return undefined;
      const key = `${args.resolveDir}\0${args.path}`;
      let answer = requirable.get(key);
      if (!answer) {
        answer = build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: { probing: true } }).then((r) => r.errors.length === 0 && !r.external);
        requirable.set(key, answer);
      }
      return (await answer) ? { path: args.path, external: true } : undefined;
    });
  },
};

export class HandlerBuilder {
  private context: esbuild.BuildContext | undefined;
  private entries: HandlerEntry[];
  private readonly written = new Map<string, string>();
  private inputs = new Set<string>();
  private lastFailed = false;

  constructor(private readonly options: HandlerBuilderOptions) {
    this.entries = options.entries;
  }

  /** Is this file part of a bundle (or could it mend the last, failed, build)? */
  affects(file: string): boolean {
    return this.lastFailed || this.inputs.has(path.resolve(file));
  }

  /** Builds (or rebuilds) every bundle and writes those whose bytes changed. */
  async build(): Promise<BuildResult> {
    const startedAt = performance.now();
    this.context ??= await esbuild.context(this.buildOptions());
    let result: esbuild.BuildResult<{ write: false; metafile: true }>;
    try {
      result = (await this.context.rebuild()) as esbuild.BuildResult<{ write: false; metafile: true }>;
    } catch (error) {
      this.lastFailed = true;
      const errors = (error as esbuild.BuildFailure).errors ?? [];
      const message = errors.length
        ? (await esbuild.formatMessages(errors, { kind: 'error', color: this.options.color ?? false })).join('')
        : String((error as Error).message);
      const first = errors[0]?.location;
      return {
        ok: false,
        message,
        location: first ? `${first.file}:${first.line}:${first.column + 1}` : undefined,
        durationMs: performance.now() - startedAt,
      };
    }
    this.lastFailed = false;
    this.inputs = new Set(Object.keys(result.metafile.inputs).map((input) => path.resolve(this.options.rootDir, input)));
    const changedOutputs = new Set<string>();
    // Maps first: a handler is reloaded when its .js changes, and must find its map current.
    const files = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith('.js')) - Number(b.path.endsWith('.js')));
    for (const file of files) {
      const hash = createHash('sha1').update(file.contents).digest('hex');
      if (this.written.get(file.path) === hash && existsSync(file.path)) continue;
      if (!this.written.has(file.path) && existsSync(file.path) && sameBytes(file.path, hash)) {
        this.written.set(file.path, hash);
        continue;
      }
      writeAtomically(file.path, file.contents);
      this.written.set(file.path, hash);
      changedOutputs.add(file.path);
    }
    return {
      ok: true,
      changed: this.entries.filter((entry) => changedOutputs.has(entry.output)),
      durationMs: performance.now() - startedAt,
    };
  }

  /** New entries (a function added to or removed from a serverless.yml): a new context. */
  async setEntries(entries: HandlerEntry[]): Promise<void> {
    this.entries = entries;
    await this.context?.dispose();
    this.context = undefined;
  }

  async dispose(): Promise<void> {
    await this.context?.dispose();
    this.context = undefined;
  }

  private buildOptions(): esbuild.BuildOptions & { write: false; metafile: true } {
    const { rootDir, outDir } = this.options;
    return {
      absWorkingDir: rootDir,
      entryPoints: Object.fromEntries(this.entries.map((entry) => [path.relative(outDir, entry.output).replace(/\.js$/, ''), entry.source])),
      outdir: outDir,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      // The services' own settings where they matter to behaviour (shared/serverless/common.yml).
      keepNames: true,
      mainFields: ['module', 'main'],
      sourcemap: 'linked',
      sourcesContent: false,
      tsconfig: path.join(rootDir, 'tsconfig.json'),
      plugins: [dependenciesFromNodeModules],
      write: false,
      metafile: true,
      logLevel: 'silent',
    };
  }
}

function sameBytes(file: string, hash: string): boolean {
  return createHash('sha1').update(readFileSync(file)).digest('hex') === hash;
}

/** A reader (serverless-offline requiring a handler) never sees half a file. */
function writeAtomically(file: string, contents: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}
