import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RefundPaymentInput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { paymentStepDependenciesFromEnv } from '../adapters/from-env';
import { refundPayment } from '../domain/refund';

const observability = createObservability();
const deps = paymentStepDependenciesFromEnv();

/** Saga compensation RefundPayment (payment-<stage>-refund). */
export const handler = stepHandler(observability, RefundPaymentInput, async (input) => {
  const result = await refundPayment(input.orderId, deps);
  if (result.status === 'REFUNDED') observability.metrics.addMetric('PaymentRefunded', MetricUnit.Count, 1);
  observability.logger.info('Payment compensated', { status: result.status });
  return result;
});
