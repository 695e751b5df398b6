import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../log';
import { Backoff } from '../process/backoff';
import { sleep } from '../process/wait';
import { functionArn } from '../provision/physical-ids';
import type { StreamEventSource } from '../provision/event-sources';
import { judgeBatch } from './batch-response';
import type { CheckpointStore } from './checkpoints';
import { StreamsApiError, type DynamoDbStreamsApi, type RawStreamRecord, type StreamShard } from './dynamodb-streams-api';
import type { FunctionInvoker } from './function-invoker';
import { invocationRecord, sendToDestination, type DestinationClients } from './on-failure-destination';
import { processStreamBatch } from './stream-batch';
import { toStreamEvent } from './stream-event';

export interface StreamPollerOptions {
  source: StreamEventSource;
  api: DynamoDbStreamsApi;
  dynamodb: DynamoDBClient;
  invoke: FunctionInvoker;
  checkpoints: CheckpointStore;
  destinations: DestinationClients;
  region: string;
  accountId: string;
  logger: Logger;
  /** Pause between empty reads of every shard (Lambda polls a shard four times a second). */
  idleMs?: number;
  /** How often the shard list is read again to find new shards. */
  rediscoverMs?: number;
}

interface ShardReader {
  shard: StreamShard;
  iterator: string | undefined;
  closed: boolean;
}

/** The stream has gone (table deleted or re-created): start over from DescribeTable. */
class StreamChanged extends Error {}

/**
 * Checkpoints that are not sequence numbers: a shard the mapping reads from its first record
 * (it was empty when the mapping began), and a shard it never reads (closed before a LATEST start).
 */
export const SHARD_START = 'TRIM_HORIZON';
export const SHARD_SKIPPED = 'SHARD_END';

/**
 * Lambda's DynamoDB stream event source, locally: DescribeTable → DescribeStream →
 * GetShardIterator → GetRecords per shard (parents before children), each GetRecords page one
 * batch of up to BatchSize records delivered with {@link processStreamBatch}'s semantics.
 * Progress is checkpointed per shard so a restart resumes where it stopped. DynamoDB Local going
 * away, or the function's endpoint, is retried with backoff and never ends the loop.
 */
export class DynamoDbStreamPoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly name: string;
  private readonly backoff = new Backoff(100, 5000);
  private markPositioned!: () => void;
  /**
   * Resolves once the mapping's starting position is fixed in the checkpoints. Until then a
   * record written to the table may fall before LATEST and never be delivered, even after a
   * restart: the stack waits for this before it says ready (as a deployed mapping exists before
   * any traffic).
   */
  readonly positioned = new Promise<void>((resolve) => (this.markPositioned = resolve));

  constructor(private readonly options: StreamPollerOptions) {
    this.name = `${options.source.target.functionName} ← ${options.source.tableName} stream`;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.options.checkpoints.flush();
    this.markPositioned();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pollStream(await this.localStreamArn());
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof StreamChanged) continue;
        if (this.backoff.failures === 0) this.options.logger.warn(`${this.name}: ${(error as Error).message} (retrying with backoff)`);
        await sleep(this.backoff.next(), this.abort.signal);
      }
    }
  }

  /** DynamoDB Local's own ARN for the table's current stream (needed for its Streams API). */
  private async localStreamArn(): Promise<string> {
    const table = await this.options.dynamodb.send(new DescribeTableCommand({ TableName: this.options.source.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn || table.Table?.StreamSpecification?.StreamEnabled === false) {
      throw new Error(`table ${this.options.source.tableName} has no stream`);
    }
    return arn;
  }

  private async pollStream(localArn: string): Promise<void> {
    const { checkpoints } = this.options;
    // No checkpoint yet for this stream: the mapping starts where its StartingPosition says, and
    // that position is written down at once, so that neither a slow first poll nor a restart
    // before the first record moves it.
    const firstRun = !checkpoints.has(localArn);
    const readers = new Map<string, ShardReader>();
    let discoveredAt = 0;
    while (!this.stopped) {
      if (Date.now() - discoveredAt > (this.options.rediscoverMs ?? 10_000) || [...readers.values()].every((r) => r.closed)) {
        const description = await this.describe(localArn);
        if (firstRun && discoveredAt === 0) {
          // All shards or none: a failure halfway leaves the stream without checkpoints, to try again.
          const starts = [];
          for (const shard of description.Shards) starts.push([shard.ShardId, await this.startingCheckpoint(localArn, shard)] as const);
          checkpoints.begin(localArn, starts);
        }
        for (const shard of description.Shards) {
          if (readers.has(shard.ShardId)) continue;
          // Shards without a checkpoint that appear later (or after a restart) are new: read them from their start.
          const skip = checkpoints.get(localArn, shard.ShardId) === SHARD_SKIPPED;
          readers.set(shard.ShardId, { shard, iterator: undefined, closed: skip });
        }
        discoveredAt = Date.now();
        this.markPositioned();
      }
      let delivered = false;
      for (const reader of readers.values()) {
        if (reader.closed || this.stopped) continue;
        const parent = reader.shard.ParentShardId ? readers.get(reader.shard.ParentShardId) : undefined;
        if (parent && !parent.closed) continue; // a child waits for its parent, as ordering requires
        delivered = (await this.readShard(localArn, reader)) || delivered;
      }
      if (this.backoff.failures > 0) this.options.logger.info(`${this.name}: polling again`);
      this.backoff.reset();
      if (!delivered) await sleep(this.options.idleMs ?? 250, this.abort.signal);
    }
  }

  private async describe(localArn: string) {
    try {
      return await this.options.api.describeStream(localArn);
    } catch (error) {
      if (error instanceof StreamsApiError && error.code === 'ResourceNotFoundException') throw new StreamChanged();
      throw error;
    }
  }

  /** One GetRecords on the shard and the delivery of what it returned; true when it had records. */
  private async readShard(localArn: string, reader: ShardReader): Promise<boolean> {
    const { api, source } = this.options;
    reader.iterator ??= await this.iteratorFor(localArn, reader);
    let page;
    try {
      page = await api.getRecords(reader.iterator, source.batchSize);
    } catch (error) {
      if (error instanceof StreamsApiError && ['ExpiredIteratorException', 'TrimmedDataAccessException'].includes(error.code)) {
        reader.iterator = undefined; // fetched again from the checkpoint
        return false;
      }
      if (error instanceof StreamsApiError && error.code === 'ResourceNotFoundException') throw new StreamChanged();
      throw error;
    }
    reader.iterator = page.NextShardIterator;
    if (!page.NextShardIterator) reader.closed = true;
    if (page.Records.length === 0) return false;
    // Settled in full (or stopped midway, the checkpoint then says where to resume).
    await this.deliver(localArn, reader.shard.ShardId, page.Records);
    return true;
  }

  /**
   * Where a shard starts for a new mapping. TRIM_HORIZON: its first record. LATEST: after its last
   * record now (read to its end to find it; the stack starts its pollers before any traffic, so
   * this is short); a shard already closed holds only the past and is skipped.
   */
  private async startingCheckpoint(localArn: string, shard: StreamShard): Promise<string> {
    if (this.options.source.startingPosition === 'TRIM_HORIZON') return SHARD_START;
    if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) return SHARD_SKIPPED;
    const { api } = this.options;
    let last: string | undefined;
    let iterator: string | undefined = await api.getShardIterator(localArn, shard.ShardId, 'TRIM_HORIZON');
    while (iterator) {
      const page = await api.getRecords(iterator, 1000);
      if (page.Records.length === 0) break;
      last = page.Records.at(-1)!.dynamodb.SequenceNumber;
      iterator = page.NextShardIterator;
    }
    return last ?? SHARD_START;
  }

  private async iteratorFor(localArn: string, reader: ShardReader): Promise<string> {
    const { api, checkpoints } = this.options;
    const checkpoint = checkpoints.get(localArn, reader.shard.ShardId);
    if (checkpoint && checkpoint !== SHARD_START) {
      try {
        return await api.getShardIterator(localArn, reader.shard.ShardId, 'AFTER_SEQUENCE_NUMBER', checkpoint);
      } catch (error) {
        // A checkpoint past the shard's retained records (trimmed, or a re-created table).
        this.options.logger.warn(`${this.name}: checkpoint ${checkpoint} of ${reader.shard.ShardId} is unusable (${(error as Error).message}); reading the shard from its start`);
      }
      return api.getShardIterator(localArn, reader.shard.ShardId, 'TRIM_HORIZON');
    }
    return api.getShardIterator(localArn, reader.shard.ShardId, 'TRIM_HORIZON');
  }

  private deliver(localArn: string, shardId: string, records: RawStreamRecord[]): Promise<'done' | 'stopped'> {
    const { source, invoke, region, accountId, checkpoints, logger } = this.options;
    const retryBackoff = new Backoff(200, 10_000);
    return processStreamBatch(records, source, {
      invoke: async (batch) => {
        const event = toStreamEvent(batch, source.streamArn, region);
        const outcome = await invoke(source.target.functionName, event, { timeoutMs: (source.target.timeoutSeconds + 5) * 1000 });
        const verdict = judgeBatch(outcome, batch.map((r) => r.dynamodb.SequenceNumber), source.reportBatchItemFailures);
        if (verdict.kind !== 'succeeded') {
          logger.warn(`${this.name}: ${verdict.kind === 'failed' ? verdict.reason : `${verdict.failedIds.size} of ${batch.length} records failed`}; retrying`);
        }
        return verdict;
      },
      discard: async (batch, condition, invokeCount) => {
        const destination = source.onFailureDestination;
        logger.warn(`${this.name}: discarding ${batch.length} record(s) (${condition})${destination ? ` to ${destination}` : ''}`);
        if (!destination) return;
        const record = invocationRecord({
          functionArn: functionArn({ region, accountId }, source.target.functionName),
          streamArn: source.streamArn,
          shardId,
          records: batch,
          condition,
          invokeCount,
        });
        await sendToDestination(destination, record, this.options.destinations).catch((error: Error) =>
          logger.error(`${this.name}: could not send the discarded batch to ${destination}: ${error.message}`),
        );
      },
      checkpoint: (sequenceNumber) => checkpoints.set(localArn, shardId, sequenceNumber),
      wait: (attempt) => {
        // The first retry is quick; each later one waits longer, up to 10 s.
        while (retryBackoff.failures < attempt - 1) retryBackoff.next();
        return sleep(retryBackoff.next(), this.abort.signal);
      },
      stopped: () => this.stopped,
      nowMs: () => Date.now(),
    });
  }
}
