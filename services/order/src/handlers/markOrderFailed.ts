import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { MarkOrderFailedInput, type MarkOrderFailedOutput } from '../domain/saga-steps';
import { afterRefusedFailure, failureOf, failureOutcome } from '../domain/transitions';

const observability = createObservability();
const orders = orderRepositoryFromEnv();

/** Saga step: PENDING -> FAILED with the reason the saga state shows. A repeat answers as the first call did. */
export const handler = stepHandler(observability, MarkOrderFailedInput, async (input): Promise<MarkOrderFailedOutput> => {
  const outcome = failureOutcome(input);
  const result = await orders.markFailed(input.orderId, outcome, new Date().toISOString());
  if (result.updated) {
    observability.logger.info('Order failed', { failureReason: outcome.failureReason });
    return failureOf(result.order);
  }
  return afterRefusedFailure(input.orderId, result.current);
});
