import type { InvocationOutcome } from './function-invoker';

/**
 * What a batch invocation means for the records in it, by AWS's rules for event source mappings:
 * - the function failed (FunctionError): the whole batch failed;
 * - without ReportBatchItemFailures: the whole batch succeeded, whatever it returned;
 * - with it: an empty or null response or `batchItemFailures` succeeds every record; listed
 *   identifiers fail those records; an identifier that is empty, null or not in the batch makes
 *   the whole batch a failure.
 */
export type BatchVerdict =
  | { kind: 'succeeded' }
  | { kind: 'partial'; failedIds: Set<string> }
  | { kind: 'failed'; reason: string };

export function judgeBatch(outcome: InvocationOutcome, batchIds: string[], reportBatchItemFailures: boolean): BatchVerdict {
  if (outcome.functionError) {
    const payload = outcome.payload as { errorType?: unknown; errorMessage?: unknown } | null;
    return { kind: 'failed', reason: `${outcome.functionError}: ${String(payload?.errorType ?? 'Error')}: ${String(payload?.errorMessage ?? '')}` };
  }
  if (!reportBatchItemFailures) return { kind: 'succeeded' };
  const payload = outcome.payload;
  if (payload === null || payload === undefined || payload === '') return { kind: 'succeeded' };
  if (typeof payload !== 'object') return { kind: 'failed', reason: `the response is not a batch item failures object: ${JSON.stringify(payload)}` };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'succeeded' };
  if (!Array.isArray(failures)) return { kind: 'failed', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'succeeded' };
  const known = new Set(batchIds);
  const failedIds = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !known.has(id)) {
      return { kind: 'failed', reason: `batchItemFailures names an item that is not in the batch: ${JSON.stringify(failure)}` };
    }
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}
