import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Observability } from '../observability';
import { asStepError, TransientError } from '../errors';
import { withFaultInjection } from './fault-injection';
import { observed } from './observed';

/** Thrown when a Task receives input the state machine should never send: a bug, not a retry. */
export class InvalidStepInput extends Error {
  override readonly name = 'InvalidStepInput';
}

/**
 * A step that runs out of time is ended by middy (timeoutEarlyInMillis) with its own `TimeoutError`
 * just before Lambda would kill it; the saga must retry that like Lambda's `Sandbox.Timedout`
 * (every step is idempotent), not compensate it as an unknown error. It becomes a TransientError.
 */
export const timeoutsAreTransient: middy.MiddlewareObj = {
  onError: (request) => {
    const error = request.error;
    if (error instanceof Error && error.name === 'TimeoutError' && (error.cause as { package?: string } | undefined)?.package === '@middy/core') {
      request.error = new TransientError(`The step ran out of time: ${error.message}`, { cause: error });
    }
  },
};

/** Fields every saga Task receives so that each log line names the order and the execution. */
export interface StepContext {
  orderId: string;
  executionArn?: string | undefined;
}

/**
 * A function that another service or the saga invokes directly (Lambda Invoke): input parsed with
 * zod (a mismatch is a defect of the caller: InvalidStepInput, never retried), and transient AWS
 * failures renamed TransientError so that a Retry (or the caller) can tell them from defects.
 */
export function invokeHandler<S extends z.ZodMiniType, R>(
  observability: Observability,
  inputSchema: S,
  handler: (input: z.output<S>, context: Context) => Promise<R>,
  logKeysOf: (input: z.output<S>) => Record<string, unknown> = () => ({}),
) {
  const { logger } = observability;
  return observed<unknown, R>(observability)
    .use(timeoutsAreTransient)
    // Local stage only: injected failures (shared/src/lambda/fault-injection.ts); the handler itself elsewhere.
    .handler(withFaultInjection(async (event: unknown, context: Context) => {
      const parsed = inputSchema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidStepInput(`Invalid step input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const input = parsed.data;
      logger.appendKeys(logKeysOf(input));
      try {
        return await handler(input, context);
      } catch (error) {
        const stepError = asStepError(error);
        logger.warn('Step failed', { errorName: stepError.name, error: stepError });
        throw stepError;
      }
    }));
}

/** A saga step (a Step Functions Task): an invoked function whose log lines name the order and the execution. */
export function stepHandler<S extends z.ZodMiniType<StepContext>, R>(
  observability: Observability,
  inputSchema: S,
  handler: (input: z.output<S>, context: Context) => Promise<R>,
) {
  return invokeHandler(observability, inputSchema, handler, (input) => ({ orderId: input.orderId, execution: input.executionArn }));
}
