import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { orderRepositoryFromEnv } from '../adapters/dynamo-order-repository';
import { ConfirmOrderInput, type ConfirmOrderOutput } from '../domain/saga-steps';
import { afterRefusedConfirmation, confirmationOf, confirmationOutcome } from '../domain/transitions';

const observability = createObservability();
const orders = orderRepositoryFromEnv();

/** Saga step: PENDING -> CONFIRMED. A repeat finds it CONFIRMED and answers as the first call did. */
export const handler = stepHandler(observability, ConfirmOrderInput, async (input): Promise<ConfirmOrderOutput> => {
  const result = await orders.confirm(input.orderId, confirmationOutcome(input), new Date().toISOString());
  if (result.updated) {
    observability.logger.info('Order confirmed');
    return confirmationOf(result.order);
  }
  return afterRefusedConfirmation(input.orderId, result.current);
});
