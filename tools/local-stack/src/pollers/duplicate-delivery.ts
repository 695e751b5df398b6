import { FaultSource } from '@order-platform/shared/lambda/fault-injection';
import type { FunctionInvoker } from './function-invoker';

/**
 * Fault injection for event sources: SQS and DynamoDB streams deliver at least once, so with the
 * probability the faults file gives a function (`duplicate`), a batch that was delivered is
 * delivered again, as Lambda does after a lost response or a redelivery. The first delivery
 * settles the batch; the copy only tests that the function is idempotent.
 */
export function withDuplicateDelivery(invoke: FunctionInvoker, faults: FaultSource): FunctionInvoker {
  return async (functionName, event, options) => {
    const outcome = await invoke(functionName, event, options);
    if (options?.async || outcome.functionError !== undefined || !faults.drawDuplicate(functionName)) return outcome;
    faults.record(functionName, 'duplicate', describeBatch(event));
    await invoke(functionName, event, options).catch(() => undefined);
    return outcome;
  };
}

function describeBatch(event: unknown): string {
  const records = (event as { Records?: Array<{ messageId?: string; eventID?: string }> }).Records ?? [];
  return records.map((r) => r.messageId ?? r.eventID ?? '?').join(',');
}
