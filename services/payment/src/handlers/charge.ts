import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ProcessPaymentInput } from '@order-platform/shared';
import { createObservability, stepHandler } from '@order-platform/shared/lambda';
import { paymentStepDependenciesFromEnv } from '../adapters/from-env';
import { chargePayment } from '../domain/charge';
import { PaymentDeclined } from '../domain/errors';

const observability = createObservability();
const deps = paymentStepDependenciesFromEnv();

/** Saga task ProcessPayment (payment-<stage>-charge). */
export const handler = stepHandler(observability, ProcessPaymentInput, async (input) => {
  try {
    const payment = await chargePayment(input, deps);
    observability.metrics.addMetric('PaymentCaptured', MetricUnit.Count, 1);
    observability.logger.info('Payment captured', { paymentId: payment.paymentId, amount: payment.amount });
    return payment;
  } catch (error) {
    if (error instanceof PaymentDeclined) observability.metrics.addMetric('PaymentDeclined', MetricUnit.Count, 1);
    throw error;
  }
});
