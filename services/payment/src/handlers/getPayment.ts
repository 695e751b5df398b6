import { HttpProblem, jsonResponse, parseOrProblem } from '@order-platform/shared';
import { createObservability, httpHandler } from '@order-platform/shared/lambda';
import { paymentRepositoryFromEnv } from '../adapters/dynamo-payment-repository';
import { paymentView } from '../domain/payment';
import { PaymentPathParameters } from '../schemas';

const observability = createObservability();
const repository = paymentRepositoryFromEnv();

/** GET /payments/{orderId}: the order's payment, for support, tests and invariant checks. Operators only. */
export const handler = httpHandler(observability, { auth: 'admin' }, async (event) => {
  const { orderId } = parseOrProblem(PaymentPathParameters, event.pathParameters ?? {}, 400, 'path');
  const payment = await repository.get(orderId);
  if (!payment) throw new HttpProblem(404, `Order ${orderId} has no payment`);
  return jsonResponse(200, paymentView(payment), { 'Cache-Control': 'no-store' });
});
