import type { BatchVerdict } from './batch-response';
import type { RawStreamRecord } from './dynamodb-streams-api';

export interface StreamBatchSettings {
  bisectBatchOnFunctionError: boolean;
  /** -1: retry until the record expires. */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeSeconds: number;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface StreamBatchDeps {
  /** Invokes the function with these records; throws when the call could not be made at all. */
  invoke(records: RawStreamRecord[]): Promise<BatchVerdict>;
  /** Gives up on these records (to the on-failure destination, if any). */
  discard(records: RawStreamRecord[], condition: DiscardCondition, invokeCount: number): Promise<void>;
  /** Everything up to and including this sequence number is done. */
  checkpoint(sequenceNumber: string): void;
  /** Waits before retry number `attempt` (1-based); resolves early when stopping. */
  wait(attempt: number): Promise<void>;
  stopped(): boolean;
  nowMs(): number;
}

interface Pending {
  records: RawStreamRecord[];
  /** Retries so far (bisecting does not count, as on AWS). */
  retries: number;
  invokeCount: number;
}

const lastSequence = (records: RawStreamRecord[]) => records[records.length - 1]!.dynamodb.SequenceNumber;

/**
 * Delivers one batch of a shard with Lambda's stream semantics, in order:
 * - success checkpoints past the batch;
 * - a partial failure (ReportBatchItemFailures) checkpoints before the lowest failed record and
 *   retries from there, the records after it included;
 * - a function error retries the batch, first splitting it in two when BisectBatchOnFunctionError
 *   is on (which costs no retry);
 * - after MaximumRetryAttempts retries, or once a record is older than MaximumRecordAgeInSeconds,
 *   the records are discarded (to the on-failure destination) and the shard moves on.
 * A call that could not be made at all (endpoint down) is retried without counting.
 * Returns "stopped" when asked to stop before the batch was settled (the checkpoint says where).
 */
export async function processStreamBatch(
  records: RawStreamRecord[],
  settings: StreamBatchSettings,
  deps: StreamBatchDeps,
): Promise<'done' | 'stopped'> {
  const queue: Pending[] = [{ records, retries: 0, invokeCount: 0 }];
  let unavailable = 0;
  while (queue.length > 0) {
    if (deps.stopped()) return 'stopped';
    const head = queue[0]!;
    const expired = expiredPrefix(head.records, settings.maximumRecordAgeSeconds, deps.nowMs());
    if (expired > 0) {
      const old = head.records.slice(0, expired);
      await deps.discard(old, 'RecordAgeExceeded', head.invokeCount);
      deps.checkpoint(lastSequence(old));
      head.records = head.records.slice(expired);
      if (head.records.length === 0) queue.shift();
      continue;
    }
    let verdict: BatchVerdict;
    try {
      verdict = await deps.invoke(head.records);
      head.invokeCount += 1;
      unavailable = 0;
    } catch {
      unavailable += 1;
      await deps.wait(unavailable);
      continue;
    }
    if (verdict.kind === 'succeeded') {
      deps.checkpoint(lastSequence(head.records));
      queue.shift();
      continue;
    }
    if (verdict.kind === 'partial') {
      const firstFailed = head.records.findIndex((record) => verdict.failedIds.has(record.dynamodb.SequenceNumber));
      if (firstFailed > 0) {
        deps.checkpoint(head.records[firstFailed - 1]!.dynamodb.SequenceNumber);
        head.records = head.records.slice(firstFailed);
      }
    } else if (settings.bisectBatchOnFunctionError && head.records.length > 1) {
      const middle = Math.ceil(head.records.length / 2);
      queue.splice(
        0,
        1,
        { records: head.records.slice(0, middle), retries: head.retries, invokeCount: 0 },
        { records: head.records.slice(middle), retries: head.retries, invokeCount: 0 },
      );
      continue;
    }
    head.retries += 1;
    if (settings.maximumRetryAttempts >= 0 && head.retries > settings.maximumRetryAttempts) {
      await deps.discard(head.records, 'RetryAttemptsExhausted', head.invokeCount);
      deps.checkpoint(lastSequence(head.records));
      queue.shift();
      continue;
    }
    await deps.wait(head.retries);
  }
  return 'done';
}

/** How many records at the front are older than the age limit. */
function expiredPrefix(records: RawStreamRecord[], maximumAgeSeconds: number, nowMs: number): number {
  if (maximumAgeSeconds < 0) return 0;
  let count = 0;
  for (const record of records) {
    const created = Number(record.dynamodb.ApproximateCreationDateTime ?? nowMs / 1000);
    if (nowMs / 1000 - created <= maximumAgeSeconds) break;
    count += 1;
  }
  return count;
}
