import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The last sequence number delivered per stream and shard, kept in a file (.local/) so that a
 * restarted stack resumes each stream where it stopped instead of at LATEST, as Lambda's event
 * source mappings do. Writes are debounced; `flush()` forces one.
 */
export class CheckpointStore {
  private data: Record<string, Record<string, string>>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly debounceMs = 200,
  ) {
    this.data = file ? readCheckpoints(file) : {};
  }

  /** Has a mapping on this stream started before (even if it has not delivered anything yet)? */
  has(streamArn: string): boolean {
    return this.data[streamArn] !== undefined;
  }

  /** Records the mapping's starting position: one checkpoint per shard it knew then, and the stream itself. */
  begin(streamArn: string, starts: ReadonlyArray<readonly [shardId: string, checkpoint: string]>): void {
    const shards = (this.data[streamArn] ??= {});
    for (const [shardId, checkpoint] of starts) shards[shardId] = checkpoint;
    this.flush();
  }

  get(streamArn: string, shardId: string): string | undefined {
    return this.data[streamArn]?.[shardId];
  }

  set(streamArn: string, shardId: string, sequenceNumber: string): void {
    (this.data[streamArn] ??= {})[shardId] = sequenceNumber;
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}

function readCheckpoints(file: string): Record<string, Record<string, string>> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  } catch {
    return {};
  }
}
