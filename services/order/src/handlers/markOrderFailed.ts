import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { createDocumentClient, OrderRepository } from '../adapters/order-repository';
import { MarkOrderFailedInput, type MarkOrderFailedOutput } from '../domain/saga-steps';
import { afterRefusedFailure, failureOf, failureOutcome } from '../domain/transitions';

const obs = createObservability();
const orders = new OrderRepository(
  createDocumentClient(new DynamoDBClient({})),
  requireEnv('ORDERS_TABLE_NAME'),
);

/** Saga step: PENDING -> FAILED with the reason the saga state shows. A repeat answers as the first call did. */
export const handler = stepHandler(obs, MarkOrderFailedInput, async (input): Promise<MarkOrderFailedOutput> => {
  const outcome = failureOutcome(input);
  const result = await orders.markFailed(input.orderId, outcome, new Date().toISOString());
  if (result.updated) {
    obs.logger.info('Order failed', { failureReason: outcome.failureReason });
    return failureOf(result.order);
  }
  return afterRefusedFailure(input.orderId, result.current);
});
