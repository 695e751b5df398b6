import { TABLE } from '../support/env';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/confirmOrder';
import type { OrderRecord } from '../../src/domain/order';
import { EXECUTION_ARN, LATER, orderRecord, PAYMENT, RESERVATION, SHIPMENT } from '../support/fixtures';
import { context } from '../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const input = { orderId: 'ord_abc123', executionArn: EXECUTION_ARN, reservation: RESERVATION, payment: PAYMENT, shipment: SHIPMENT };
const confirmed = orderRecord({
  status: 'CONFIRMED',
  updatedAt: LATER,
  lines: RESERVATION.lines,
  total: RESERVATION.total,
  paymentId: 'pay_1',
  shipmentId: 'shp_1',
  executionArn: EXECUTION_ARN,
});
const refused = (item?: OrderRecord) =>
  new ConditionalCheckFailedException({ message: 'refused', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

test('PENDING -> CONFIRMED, recording lines, total, payment, shipment and execution, only if still PENDING', async () => {
  ddb.on(UpdateCommand).resolves({ Attributes: confirmed });
  await expect(handler(input, context)).resolves.toEqual({ orderId: 'ord_abc123', status: 'CONFIRMED', confirmedAt: LATER });

  const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
  expect(update).toMatchObject({
    TableName: TABLE,
    Key: { orderId: 'ord_abc123' },
    ConditionExpression: 'attribute_exists(orderId) AND #status = :pending',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    ExpressionAttributeValues: expect.objectContaining({
      ':pending': 'PENDING',
      ':status': 'CONFIRMED',
      ':lines': RESERVATION.lines,
      ':total': RESERVATION.total,
      ':paymentId': 'pay_1',
      ':shipmentId': 'shp_1',
      ':executionArn': EXECUTION_ARN,
    }),
  });
  expect(update.UpdateExpression).toMatch(/^SET .* REMOVE paymentToken$/);
});

test('a repeat finds the order CONFIRMED and answers as the first call did', async () => {
  ddb.on(UpdateCommand).rejects(refused(confirmed));
  await expect(handler(input, context)).resolves.toEqual({ orderId: 'ord_abc123', status: 'CONFIRMED', confirmedAt: LATER });
});

test('a FAILED order cannot be confirmed', async () => {
  ddb.on(UpdateCommand).rejects(refused(orderRecord({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' })));
  await expect(handler(input, context)).rejects.toMatchObject({ name: 'OrderStateConflict' });
});

test('a missing order is reported by name', async () => {
  ddb.on(UpdateCommand).rejects(refused());
  await expect(handler(input, context)).rejects.toMatchObject({ name: 'OrderNotFound' });
});

test('throttling leaves as TransientError, which the saga retries', async () => {
  ddb.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
  await expect(handler(input, context)).rejects.toMatchObject({ name: 'TransientError' });
});

test('input without the step results is a defect (InvalidStepInput), and writes nothing', async () => {
  await expect(handler({ orderId: 'ord_abc123', reservation: RESERVATION }, context)).rejects.toMatchObject({ name: 'InvalidStepInput' });
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
});
