import '../support/env';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/refund';
import { capturedPayment, declinedPayment, refundedPayment } from '../../src/domain/payment';
import { context } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ssm = mockClient(SSMClient);
const order = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };
const captured = capturedPayment(order, 'ch_1', '2025-01-01T00:00:00.000Z');
const refund = (event: unknown) => handler(event, context);

beforeEach(() => {
  ddb.reset();
  ssm.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'sk_test_from_ssm' } });
});

test('a captured payment is refunded and marked REFUNDED under a CAPTURED condition', async () => {
  ddb.on(GetCommand).resolves({ Item: captured });
  ddb.on(UpdateCommand).resolves({});

  await expect(refund({ orderId: 'o-1' })).resolves.toEqual({ status: 'REFUNDED' });
  expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
    TableName: 'payment-test-payments',
    Key: { orderId: 'o-1' },
    ConditionExpression: '#status = :captured',
  });
});

test('a refunded payment is ALREADY_REFUNDED, with no write', async () => {
  ddb.on(GetCommand).resolves({ Item: refundedPayment(captured, 're_1', '2025-01-01T01:00:00.000Z') });
  await expect(refund({ orderId: 'o-1' })).resolves.toEqual({ status: 'ALREADY_REFUNDED' });
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
});

test('a declined payment has NOTHING_TO_REFUND', async () => {
  ddb.on(GetCommand).resolves({ Item: declinedPayment(order, 'card_declined', '2025-01-01T00:00:00.000Z') });
  await expect(refund({ orderId: 'o-1' })).resolves.toEqual({ status: 'NOTHING_TO_REFUND' });
});

test('no payment: a VOIDED tombstone is written conditionally, NOTHING_TO_REFUND', async () => {
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});

  await expect(refund({ orderId: 'o-1' })).resolves.toEqual({ status: 'NOTHING_TO_REFUND' });
  expect(ddb).toHaveReceivedCommandWith(PutCommand, {
    ConditionExpression: 'attribute_not_exists(orderId)',
    Item: expect.objectContaining({ orderId: 'o-1', status: 'VOIDED' }),
  });
});

test('a concurrent refund that wins the update makes this one ALREADY_REFUNDED', async () => {
  ddb.on(GetCommand).resolvesOnce({ Item: captured }).resolves({ Item: refundedPayment(captured, 're_1', '2025-01-01T01:00:00.000Z') });
  ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));

  await expect(refund({ orderId: 'o-1' })).resolves.toEqual({ status: 'ALREADY_REFUNDED' });
});

test('a DynamoDB outage fails as TransientError (compensations retry until they succeed)', async () => {
  ddb.on(GetCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
  await expect(refund({ orderId: 'o-1' })).rejects.toMatchObject({ name: 'TransientError' });
});

test('input without an orderId is InvalidStepInput', async () => {
  await expect(refund({ executionArn: 'x' })).rejects.toMatchObject({ name: 'InvalidStepInput' });
});
