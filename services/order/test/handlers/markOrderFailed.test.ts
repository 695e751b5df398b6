import { TABLE } from '../support/env';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/markOrderFailed';
import type { OrderRecord } from '../../src/domain/order';
import { EXECUTION_ARN, LATER, orderRecord, RESERVATION } from '../support/fixtures';
import { context } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

// What the state machine sends: `saga.$: $` is the whole state, SagaInput fields included.
const sagaInput = { orderId: 'ord_abc123', customerId: 'cust-1', email: 'ada@example.com', items: [{ sku: 'SKU-1', quantity: 2 }], paymentToken: 'tok_visa' };
const declined = {
  orderId: 'ord_abc123',
  executionArn: EXECUTION_ARN,
  saga: { ...sagaInput, reservation: RESERVATION, paymentError: { Error: 'PaymentDeclined', Cause: '{"errorMessage":"card declined"}' }, release: { status: 'RELEASED' } },
};
const failed = orderRecord({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', updatedAt: LATER, lines: RESERVATION.lines, total: RESERVATION.total });
const refused = (item?: OrderRecord) =>
  new ConditionalCheckFailedException({ message: 'refused', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

test('PENDING -> FAILED with the reason from the caught error and the priced lines of the reservation', async () => {
  ddb.on(UpdateCommand).resolves({ Attributes: failed });
  await expect(handler(declined, context)).resolves.toEqual({
    orderId: 'ord_abc123',
    status: 'FAILED',
    failureReason: 'PAYMENT_DECLINED',
    failedAt: LATER,
  });
  expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: TABLE,
    Key: { orderId: 'ord_abc123' },
    ConditionExpression: 'attribute_exists(orderId) AND #status = :pending',
    ExpressionAttributeValues: expect.objectContaining({
      ':status': 'FAILED',
      ':failureReason': 'PAYMENT_DECLINED',
      ':lines': RESERVATION.lines,
      ':total': RESERVATION.total,
      ':executionArn': EXECUTION_ARN,
    }),
  });
  // The token is only needed while the order is pending.
  expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toMatch(/ REMOVE paymentToken$/);
});

test('out of stock: only the reason is recorded (nothing was reserved)', async () => {
  ddb.on(UpdateCommand).resolves({ Attributes: orderRecord({ status: 'FAILED', failureReason: 'OUT_OF_STOCK', updatedAt: LATER }) });
  const result = await handler({ orderId: 'ord_abc123', saga: { ...sagaInput, reserveError: { Error: 'OutOfStock', Cause: '{}' } } }, context);
  expect(result.failureReason).toBe('OUT_OF_STOCK');
  const values = ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues!;
  expect(values).not.toHaveProperty(':lines');
  expect(values).not.toHaveProperty(':total');
});

test('a repeat finds the order FAILED and answers with the recorded reason', async () => {
  ddb.on(UpdateCommand).rejects(refused(failed));
  await expect(handler(declined, context)).resolves.toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', failedAt: LATER });
});

test('a CONFIRMED order cannot be failed; a missing one is reported', async () => {
  ddb.on(UpdateCommand).rejects(refused(orderRecord({ status: 'CONFIRMED' })));
  await expect(handler(declined, context)).rejects.toMatchObject({ name: 'OrderStateConflict' });
  ddb.on(UpdateCommand).rejects(refused());
  await expect(handler(declined, context)).rejects.toMatchObject({ name: 'OrderNotFound' });
});

test('a saga state without a caught error is a defect, and writes nothing', async () => {
  await expect(handler({ orderId: 'ord_abc123', saga: sagaInput }, context)).rejects.toMatchObject({ name: 'NoSagaError' });
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
});

test('throttling leaves as TransientError', async () => {
  ddb.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
  await expect(handler(declined, context)).rejects.toMatchObject({ name: 'TransientError' });
});
