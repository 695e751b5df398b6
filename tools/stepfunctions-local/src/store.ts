import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Durable state in a data folder, written off the hot path:
 * - `meta.json`: state machines and definitions, rewritten whole when they change;
 * - `segment-<n>.json`: each flush writes the executions changed since the previous flush as a
 *   new segment. Later segments override earlier ones; a compaction writes one snapshot segment
 *   of everything live and deletes the older ones.
 * Every file is written to a temp file and renamed into place, so a crash leaves either the old
 * or the new file, never half of one. Flushes are debounced (one per `flushDelayMs`).
 */
export interface StoreSource<T> {
  meta(): unknown;
  encode(record: T): unknown;
  live(): Iterable<T>;
}

export interface Loaded {
  meta: unknown;
  executions: unknown[];
}

const SEGMENT = /^segment-(\d+)\.json$/u;
const segmentName = (n: number) => `segment-${String(n).padStart(8, '0')}.json`;
// Compact when segments pile up or hold more than twice the live data (and at least 16 MB).
const MAX_SEGMENTS = 64;
const MIN_COMPACT_BYTES = 16 * 1024 * 1024;

export class FileStore<T> {
  private readonly dirty = new Set<T>();
  private metaDirty = false;
  private compactRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private segments: number[] = [];
  private nextSegment = 1;
  private bytesSinceSnapshot = 0;
  private snapshotBytes = 0;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly source: StoreSource<T>,
    private readonly flushDelayMs = 100,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Reads everything back (synchronously: it runs once, before the server listens). */
  load(keyOf: (execution: unknown) => string): Loaded {
    mkdirSync(this.dir, { recursive: true });
    const files = readdirSync(this.dir);
    for (const file of files) if (file.endsWith('.tmp')) rmSync(join(this.dir, file), { force: true });
    const meta = files.includes('meta.json') ? readJson(join(this.dir, 'meta.json')) : undefined;
    const numbers = files
      .map((file) => SEGMENT.exec(file)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const contents = numbers.map((n) => ({ n, body: readJson(join(this.dir, segmentName(n))) as { snapshot?: boolean; executions?: unknown[] } }));
    let from = 0;
    contents.forEach((segment, i) => {
      if (segment.body.snapshot) from = i;
    });
    const executions = new Map<string, unknown>();
    for (const segment of contents.slice(from)) {
      for (const execution of segment.body.executions ?? []) executions.set(keyOf(execution), execution);
    }
    this.segments = contents.slice(from).map((segment) => segment.n);
    this.nextSegment = (numbers[numbers.length - 1] ?? 0) + 1;
    return { meta, executions: [...executions.values()] };
  }

  markDirty(record: T): void {
    this.dirty.add(record);
    this.schedule();
  }

  markMetaDirty(): void {
    this.metaDirty = true;
    this.schedule();
  }

  /** The next flush writes a full snapshot instead of a delta (used after a load). */
  requestCompaction(): void {
    this.compactRequested = true;
    this.schedule();
  }

  /** Writes what is pending now; flushes run one after another, never concurrently. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeOnce());
    return this.chain;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushDelayMs);
  }

  private async writeOnce(): Promise<void> {
    try {
      if (this.metaDirty) {
        this.metaDirty = false;
        await this.atomicWrite('meta.json', JSON.stringify(this.source.meta()));
      }
      const tooBig = this.bytesSinceSnapshot > Math.max(MIN_COMPACT_BYTES, 2 * this.snapshotBytes);
      if (this.compactRequested || this.segments.length >= MAX_SEGMENTS || tooBig) {
        await this.compact();
      } else if (this.dirty.size > 0) {
        await this.writeDelta();
      }
    } catch (error) {
      this.metaDirty = true;
      this.onError(error);
      this.schedule();
    }
  }

  private async writeDelta(): Promise<void> {
    const records = [...this.dirty];
    this.dirty.clear();
    try {
      const text = JSON.stringify({ executions: records.map((record) => this.source.encode(record)) });
      const n = this.nextSegment++;
      await this.atomicWrite(segmentName(n), text);
      this.segments.push(n);
      this.bytesSinceSnapshot += text.length;
    } catch (error) {
      for (const record of records) this.dirty.add(record);
      throw error;
    }
  }

  private async compact(): Promise<void> {
    this.compactRequested = false;
    // Encoding happens now, so anything changed during the write is marked dirty again.
    this.dirty.clear();
    const executions = [...this.source.live()].map((record) => this.source.encode(record));
    const text = JSON.stringify({ snapshot: true, executions });
    const n = this.nextSegment++;
    try {
      await this.atomicWrite(segmentName(n), text);
    } catch (error) {
      this.compactRequested = true;
      throw error;
    }
    const older = this.segments;
    this.segments = [n];
    this.snapshotBytes = text.length;
    this.bytesSinceSnapshot = 0;
    await Promise.all(older.map((k) => rm(join(this.dir, segmentName(k)), { force: true })));
  }

  private async atomicWrite(name: string, text: string): Promise<void> {
    const target = join(this.dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, text);
    await rename(temp, target);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`stepfunctions-local: cannot read ${path}: ${(error as Error).message}`);
  }
}
