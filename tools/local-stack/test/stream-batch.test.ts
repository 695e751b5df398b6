import type { BatchVerdict } from '../src/pollers/batch-response';
import type { RawStreamRecord } from '../src/pollers/dynamodb-streams-api';
import { InvokeUnavailableError } from '../src/pollers/function-invoker';
import { processStreamBatch, type DiscardCondition, type StreamBatchSettings } from '../src/pollers/stream-batch';

const NOW_SECONDS = 1_800_000_000;

function records(count: number, ageSeconds = 0): RawStreamRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    eventID: `e${index + 1}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: NOW_SECONDS - ageSeconds,
      Keys: { id: { S: String(index + 1) } },
      SequenceNumber: String(index + 1).padStart(3, '0'),
      SizeBytes: 10,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }));
}

const seqs = (batch: RawStreamRecord[]) => batch.map((record) => record.dynamodb.SequenceNumber);

/** Runs processStreamBatch with a scripted function; records every call, discard and checkpoint. */
async function run(batch: RawStreamRecord[], settings: Partial<StreamBatchSettings>, respond: (batch: RawStreamRecord[], call: number) => BatchVerdict) {
  const calls: string[][] = [];
  const discarded: Array<{ seqs: string[]; condition: DiscardCondition }> = [];
  const checkpoints: string[] = [];
  const result = await processStreamBatch(
    batch,
    { bisectBatchOnFunctionError: false, maximumRetryAttempts: -1, maximumRecordAgeSeconds: -1, ...settings },
    {
      invoke: async (sub) => {
        calls.push(seqs(sub));
        return respond(sub, calls.length);
      },
      discard: async (sub, condition) => void discarded.push({ seqs: seqs(sub), condition }),
      checkpoint: (sequence) => void checkpoints.push(sequence),
      wait: async () => undefined,
      stopped: () => false,
      nowMs: () => NOW_SECONDS * 1000,
    },
  );
  return { result, calls, discarded, checkpoints };
}

describe('processStreamBatch (DynamoDB stream batch semantics)', () => {
  it('checkpoints past a batch that succeeds', async () => {
    const outcome = await run(records(3), {}, () => ({ kind: 'succeeded' }));
    expect(outcome).toMatchObject({ result: 'done', calls: [['001', '002', '003']], checkpoints: ['003'], discarded: [] });
  });

  it('after a partial failure, checkpoints before the lowest failed record and retries from it, later records included', async () => {
    const outcome = await run(records(4), {}, (_, call) => (call === 1 ? { kind: 'partial', failedIds: new Set(['003', '002']) } : { kind: 'succeeded' }));
    expect(outcome.calls).toEqual([['001', '002', '003', '004'], ['002', '003', '004']]);
    expect(outcome.checkpoints).toEqual(['001', '004']);
  });

  it('retries a failed batch whole without bisecting, then discards it after MaximumRetryAttempts', async () => {
    const outcome = await run(records(2), { maximumRetryAttempts: 2 }, () => ({ kind: 'failed', reason: 'boom' }));
    expect(outcome.calls).toEqual([['001', '002'], ['001', '002'], ['001', '002']]);
    expect(outcome.discarded).toEqual([{ seqs: ['001', '002'], condition: 'RetryAttemptsExhausted' }]);
    expect(outcome.checkpoints).toEqual(['002']);
  });

  it('bisects a failing batch (without spending retries) down to the record that fails', async () => {
    const poison = '003';
    const outcome = await run(records(4), { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 }, (batch) =>
      seqs(batch).includes(poison) ? { kind: 'failed', reason: 'poison' } : { kind: 'succeeded' },
    );
    expect(outcome.calls).toEqual([['001', '002', '003', '004'], ['001', '002'], ['003', '004'], ['003'], ['003'], ['004']]);
    expect(outcome.discarded).toEqual([{ seqs: ['003'], condition: 'RetryAttemptsExhausted' }]);
    expect(outcome.checkpoints).toEqual(['002', '003', '004']);
  });

  it('discards records older than MaximumRecordAgeInSeconds without invoking', async () => {
    const outcome = await run(records(2, 120), { maximumRecordAgeSeconds: 60 }, () => ({ kind: 'succeeded' }));
    expect(outcome).toMatchObject({ calls: [], discarded: [{ seqs: ['001', '002'], condition: 'RecordAgeExceeded' }], checkpoints: ['002'] });
  });

  it('retries a call that could not be made without counting it as a retry', async () => {
    let unavailable = 3;
    const checkpoints: string[] = [];
    const result = await processStreamBatch(records(1), { bisectBatchOnFunctionError: false, maximumRetryAttempts: 0, maximumRecordAgeSeconds: -1 }, {
      invoke: async () => {
        if (unavailable-- > 0) throw new InvokeUnavailableError('endpoint down');
        return { kind: 'succeeded' };
      },
      discard: async () => {
        throw new Error('nothing may be discarded');
      },
      checkpoint: (sequence) => void checkpoints.push(sequence),
      wait: async () => undefined,
      stopped: () => false,
      nowMs: () => NOW_SECONDS * 1000,
    });
    expect(result).toBe('done');
    expect(checkpoints).toEqual(['001']);
  });

  it('stops between retries when asked to, leaving the checkpoint where it was', async () => {
    let stop = false;
    const checkpoints: string[] = [];
    const result = await processStreamBatch(records(2), { bisectBatchOnFunctionError: false, maximumRetryAttempts: -1, maximumRecordAgeSeconds: -1 }, {
      invoke: async () => ({ kind: 'failed', reason: 'boom' }),
      discard: async () => undefined,
      checkpoint: (sequence) => void checkpoints.push(sequence),
      wait: async () => void (stop = true),
      stopped: () => stop,
      nowMs: () => NOW_SECONDS * 1000,
    });
    expect(result).toBe('stopped');
    expect(checkpoints).toEqual([]);
  });
});
