import '../support/env';
import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/charge';
import { capturedPayment, declinedPayment, paymentIdFor, voidedPayment } from '../../src/domain/payment';
import { context } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ssm = mockClient(SSMClient);
const order = { orderId: 'o-1', amount: { amount: 1250, currency: 'EUR' }, customerId: 'c-1', email: 'a@example.com' };
const input = (paymentToken: string) => ({ ...order, paymentToken, executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:saga:o-1' });
const charge = (event: unknown) => handler(event, context);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the step to fail');
}

beforeEach(() => {
  ddb.reset();
  ssm.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'sk_test_from_ssm' } });
});

test('captures a new payment, stores it conditionally and returns the step contract output', async () => {
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});

  await expect(charge(input('tok_visa'))).resolves.toEqual({ paymentId: paymentIdFor('o-1'), status: 'CAPTURED', amount: order.amount });

  expect(ddb).toHaveReceivedCommandWith(PutCommand, {
    TableName: 'payment-test-payments',
    ConditionExpression: 'attribute_not_exists(orderId)',
    Item: expect.objectContaining({ orderId: 'o-1', status: 'CAPTURED', amount: 1250, currency: 'EUR', email: 'a@example.com' }),
  });
  expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/order-platform/test/payment/provider-api-key', WithDecryption: true });
});

test('a redelivered step returns the stored payment and writes nothing', async () => {
  const stored = capturedPayment(order, 'ch_1', '2025-01-01T00:00:00.000Z');
  ddb.on(GetCommand).resolves({ Item: stored });

  await expect(charge(input('tok_visa'))).resolves.toEqual({ paymentId: stored.paymentId, status: 'CAPTURED', amount: order.amount });
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
});

test('a decline is stored and fails the step as PaymentDeclined (the saga compensates)', async () => {
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});

  const error = await failure(charge(input('tok_decline')));

  expect(error.name).toBe('PaymentDeclined');
  expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'DECLINED', declineCode: 'card_declined' }) });
});

test('a stored decline fails again as PaymentDeclined', async () => {
  ddb.on(GetCommand).resolves({ Item: declinedPayment(order, 'card_declined', '2025-01-01T00:00:00.000Z') });
  expect((await failure(charge(input('tok_visa')))).name).toBe('PaymentDeclined');
});

test('a compensated order fails as PaymentVoided', async () => {
  ddb.on(GetCommand).resolves({ Item: voidedPayment('o-1', '2025-01-01T00:00:00.000Z') });
  expect((await failure(charge(input('tok_visa')))).name).toBe('PaymentVoided');
});

test('a concurrent duplicate that stored first is returned', async () => {
  const winner = capturedPayment(order, 'ch_1', '2025-01-01T00:00:00.000Z');
  ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: winner });
  ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

  await expect(charge(input('tok_visa'))).resolves.toMatchObject({ paymentId: winner.paymentId, status: 'CAPTURED' });
});

test('a provider outage (tok_error) fails as TransientError and writes nothing', async () => {
  ddb.on(GetCommand).resolves({});
  expect((await failure(charge(input('tok_error')))).name).toBe('TransientError');
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
});

test('DynamoDB throttling fails as TransientError (the saga retries it)', async () => {
  ddb.on(GetCommand).rejects(
    new DynamoDBServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
  );
  expect((await failure(charge(input('tok_visa')))).name).toBe('TransientError');
});

test('input the contract rejects is a bug, not a retry: InvalidStepInput', async () => {
  const error = await failure(charge({ orderId: 'o-1', amount: { amount: -1, currency: 'euro' }, paymentToken: 'tok_visa' }));
  expect(error.name).toBe('InvalidStepInput');
  expect(error.message).toMatch(/amount\.amount/);
  expect(ddb).not.toHaveReceivedAnyCommand();
});
