import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { createDocumentClient, OrderRepository } from '../adapters/order-repository';
import { ConfirmOrderInput, type ConfirmOrderOutput } from '../domain/saga-steps';
import { afterRefusedConfirmation, confirmationOf, confirmationOutcome } from '../domain/transitions';

const obs = createObservability();
const orders = new OrderRepository(
  createDocumentClient(new DynamoDBClient({})),
  requireEnv('ORDERS_TABLE_NAME'),
);

/** Saga step: PENDING -> CONFIRMED. A repeat finds it CONFIRMED and answers as the first call did. */
export const handler = stepHandler(obs, ConfirmOrderInput, async (input): Promise<ConfirmOrderOutput> => {
  const result = await orders.confirm(input.orderId, confirmationOutcome(input), new Date().toISOString());
  if (result.updated) {
    obs.logger.info('Order confirmed');
    return confirmationOf(result.order);
  }
  return afterRefusedConfirmation(input.orderId, result.current);
});
