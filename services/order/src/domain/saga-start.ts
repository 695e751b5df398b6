/**
 * Who starts an order's saga. A STANDARD workflow deduplicates executions by name (the orderId):
 * a repeated StartExecution with the same input is a no-op (or ExecutionAlreadyExists once the
 * first has finished), so every path that can see a pending order starts it: the POST that
 * created it, a replayed POST (heals a failed first start) and the stream's INSERT record (heals
 * a POST that died before starting). An EXPRESS workflow does not deduplicate: each call is a
 * new concurrent execution, and two executions of one order race (one compensating while the
 * other ships). So with EXPRESS exactly one path starts it: the stream's INSERT record, which
 * is delivered until it succeeds and starts the saga as its last action.
 */
export type WorkflowType = 'STANDARD' | 'EXPRESS';

export interface SagaStartPolicy {
  /** POST /orders starts the saga of the order it created (and answers 503 if it cannot). */
  onCreate: boolean;
  /** A replayed POST starts the saga again (idempotent) when the order is still pending. */
  onReplay: boolean;
  /** The stream publisher starts the saga of every inserted order. */
  onInsert: boolean;
}

export function parseWorkflowType(value: string | undefined): WorkflowType {
  if (value === undefined || value === '' || value === 'STANDARD') return 'STANDARD';
  if (value === 'EXPRESS') return 'EXPRESS';
  throw new Error(`SAGA_WORKFLOW_TYPE must be STANDARD or EXPRESS, got "${value}"`);
}

export function sagaStartPolicy(type: WorkflowType): SagaStartPolicy {
  return type === 'STANDARD'
    ? { onCreate: true, onReplay: true, onInsert: true }
    : { onCreate: false, onReplay: false, onInsert: true };
}
