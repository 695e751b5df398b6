import { createLocalInvoker } from '@order-platform/stepfunctions-local';

/**
 * The benchmark's five-state machine: Pass → Task → Choice → Pass → Succeed. The Task calls an
 * in-process Lambda handler (no network), so the figures measure this server and the engine, and
 * its history includes the LambdaFunction* events a real task records.
 */
export const FIVE_STATES = {
  Comment: 'stepfunctions-local benchmark',
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Pass', Parameters: { 'orderId.$': '$.orderId', 'qty.$': '$.qty' }, Next: 'Price' },
    Price: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:bench-price', Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.total', NumericGreaterThan: 1000, Next: 'Review' }],
      Default: 'Review',
    },
    Review: { Type: 'Pass', Result: 'ok', ResultPath: '$.review', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

/** ExecutionStarted + 2 (Pass) + 5 (Task) + 2 (Choice) + 2 (Pass) + 2 (Succeed) + ExecutionSucceeded. */
export const EVENTS_PER_EXECUTION = 15;

export const price = (event: unknown) => {
  const e = event as { orderId: string; qty: number };
  return { ...e, total: e.qty * 250 };
};

export const benchInvoker = createLocalInvoker({ 'bench-price': price });
