import { CATALOGUE_LOOKUP_FUNCTION, STATE_MACHINE_ARN, TABLE } from '../support/env';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, SFNServiceException } from '@aws-sdk/client-sfn';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/createOrder';
import { deterministicOrderId, requestHash } from '../../src/domain/idempotency';
import type { OrderRecord } from '../../src/domain/order';
import { OrderView } from '../../src/schemas';
import { answer, httpEvent, OTHER_CUSTOMER } from '../support/http';
import { orderBody } from '../support/fixtures';

/*
 * The wiring of POST /orders: the request as API Gateway sends it, through the shared HTTP
 * handler, placeOrder and the adapters, to SDK calls (mocked). The use case's own rules (owner,
 * catalogue, idempotency, saga start) are tested without SDK mocks in test/domain/place-order.test.ts.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const lambda = mockClient(LambdaClient);

/** The inventory's catalogue lookup answering that these SKUs are not in the catalogue. */
const catalogueLacks = (...unknown: string[]) => ({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ unknown })) as never });

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  lambda.reset();
  lambda.on(InvokeCommand).resolves(catalogueLacks());
  ddb.on(PutCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
});

function post(body: unknown, headers: Record<string, string> = {}, claims?: Record<string, unknown> | null) {
  return answer(
    handler,
    httpEvent('POST', '/orders', {
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(claims !== undefined ? { claims } : {}),
    }),
  );
}

function storedOrder(): OrderRecord {
  return ddb.commandCalls(PutCommand)[0]!.args[0].input.Item as OrderRecord;
}

function conditionFailed(item?: OrderRecord) {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {}),
  });
}

function expectNothingWritten() {
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
}

describe('a new order', () => {
  test('without a key: 201 with the representation and Location; stored PENDING; saga started by orderId', async () => {
    const res = await post(orderBody());

    expect(res.status).toBe(201);
    expect(res.headers['Content-Type']).toBe('application/json');
    const orderId = res.body.orderId as string;
    expect(orderId).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(res.headers.Location).toBe(`/orders/${orderId}`);
    expect(res.headers['Idempotent-Replayed']).toBeUndefined();
    expect(res.body).toMatchObject({ orderId, status: 'PENDING', customerId: 'cust-1', email: 'ada@example.com', items: orderBody().items });
    expect(res.body).not.toHaveProperty('paymentToken');
    expect(OrderView.safeParse(res.body).success).toBe(true);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(orderId)',
      Item: expect.objectContaining({ orderId, status: 'PENDING', paymentToken: 'tok_visa', requestHash: requestHash(orderBody()) }),
    });
    expect(storedOrder()).not.toHaveProperty('idempotencyKey');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: orderId,
      input: JSON.stringify({ orderId, customerId: 'cust-1', email: 'ada@example.com', items: orderBody().items, paymentToken: 'tok_visa' }),
    });
  });

  test('with an Idempotency-Key: the orderId is derived from customer and key, and the key is stored', async () => {
    const res = await post(orderBody(), { 'Idempotency-Key': 'key-1' });
    expect(res.status).toBe(201);
    expect(res.body.orderId).toBe(deterministicOrderId('cust-1', 'key-1'));
    expect(storedOrder()).toMatchObject({ orderId: res.body.orderId, idempotencyKey: 'key-1' });
  });

  test('an execution that already exists counts as started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    expect((await post(orderBody())).status).toBe(201);
  });

  test.each([
    ['throttled', new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' })],
    ['down', new SFNServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: {}, message: 'down' })],
  ])('StartExecution %s: 202 Accepted with the pending order, Location and Retry-After; the order stays stored for the stream to start', async (_name, failure) => {
    sfn.on(StartExecutionCommand).rejects(failure);
    const res = await post(orderBody(), { 'Idempotency-Key': 'key-1' });
    expect(res.status).toBe(202);
    expect(res.headers['Location']).toBe(`/orders/${deterministicOrderId('cust-1', 'key-1')}`);
    expect(res.headers['Retry-After']).toBe('2');
    expect(res.body).toMatchObject({ orderId: deterministicOrderId('cust-1', 'key-1'), status: 'PENDING' });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  test('the order store throttled (ProvisionedThroughputExceededException): 503 problem+json with Retry-After, no saga', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    const res = await post(orderBody(), { 'Idempotency-Key': 'key-1' });
    expect(res.status).toBe(503);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.headers['Retry-After']).toBe('2');
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  test('an unexpected store error is a generic 500 that hides the details', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('secret table detail'), { name: 'ValidationException' }));
    const res = await post(orderBody());
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret/);
  });
});

describe('a repeated request with the same Idempotency-Key', () => {
  async function firstOrder(): Promise<{ res: Awaited<ReturnType<typeof post>>; stored: OrderRecord }> {
    const res = await post(orderBody(), { 'Idempotency-Key': 'key-1' });
    const stored = storedOrder();
    ddb.reset();
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    return { res, stored };
  }

  test('and the same body: 201, the same representation, Idempotent-Replayed, and the same idempotent start', async () => {
    const { res: first, stored } = await firstOrder();
    const firstStart = first.body.orderId;
    ddb.on(PutCommand).rejects(conditionFailed(stored));

    // Same body with its keys in another order: still the same request.
    const { paymentToken, items, email, customerId } = orderBody();
    const replay = await post({ paymentToken, items, email, customerId }, { 'idempotency-key': 'key-1' });

    expect(replay.status).toBe(201);
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect(replay.headers.Location).toBe(`/orders/${firstStart}`);
    expect(replay.body).toEqual(first.body);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: firstStart as string,
      input: JSON.stringify({ orderId: firstStart, customerId: 'cust-1', email: 'ada@example.com', items: orderBody().items, paymentToken: 'tok_visa' }),
    });
  });

  test('when the refusal carries no item, the stored order is read (consistently)', async () => {
    const { stored } = await firstOrder();
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: stored });
    const replay = await post(orderBody(), { 'Idempotency-Key': 'key-1' });
    expect(replay.status).toBe(201);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { orderId: stored.orderId }, ConsistentRead: true });
  });

  test('and another body: 409 problem+json, nothing started', async () => {
    const { stored } = await firstOrder();
    ddb.on(PutCommand).rejects(conditionFailed(stored));
    const res = await post(orderBody({ items: [{ sku: 'SKU-1', quantity: 3 }] }), { 'Idempotency-Key': 'key-1' });
    expect(res.status).toBe(409);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 409, title: 'Conflict', detail: expect.stringMatching(/Idempotency-Key/) });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe('SKUs are checked against the inventory catalogue before anything is stored', () => {
  test('the lookup is asked once per order, for each SKU once', async () => {
    expect((await post(orderBody())).status).toBe(201);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const call = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(call.FunctionName).toBe(CATALOGUE_LOOKUP_FUNCTION);
    expect(JSON.parse(Buffer.from(call.Payload as Uint8Array).toString('utf8'))).toEqual({ skus: ['SKU-1', 'SKU-2'] });
  });

  test('an unknown SKU: 422 problem+json naming it and its line, nothing stored, no saga', async () => {
    lambda.on(InvokeCommand).resolves(catalogueLacks('SKU-2'));
    const res = await post(orderBody());
    expect(res.status).toBe(422);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      status: 422,
      detail: 'items: SKU "SKU-2" is not in the catalogue',
      unknownSkus: ['SKU-2'],
      errors: [{ pointer: '/items/1/sku', message: 'SKU "SKU-2" is not in the catalogue' }],
    });
    expectNothingWritten();
  });

  test('the lookup throttled: 503 with Retry-After, nothing stored', async () => {
    lambda.on(InvokeCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const res = await post(orderBody());
    expect(res.status).toBe(503);
    expect(res.headers['Retry-After']).toBe('2');
    expect(res.body.detail).toMatch(/inventory catalogue is temporarily unavailable/);
    expectNothingWritten();
  });

  test('the lookup function failing (timed out, its table throttled): 503, nothing stored', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"errorType":"Sandbox.Timedout"}') as never });
    const res = await post(orderBody());
    expect(res.status).toBe(503);
    expectNothingWritten();
  });

  test('an answer outside the lookup contract is a defect: 500 that hides the details, nothing stored', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from('{"missing":[]}') as never });
    const res = await post(orderBody());
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/missing/);
    expectNothingWritten();
  });
});

describe('rejected requests write nothing', () => {
  test.each([
    ['a key with a space', 'has space'],
    ['an empty key', ''],
    ['a 129-character key', 'k'.repeat(129)],
  ])('400 for %s', async (_name, key) => {
    const res = await post(orderBody(), { 'Idempotency-Key': key });
    expect(res.status).toBe(400);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.body.detail).toMatch(/Idempotency-Key/);
    expectNothingWritten();
  });

  test('400 for malformed JSON', async () => {
    const res = await post('{"customerId":');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not valid JSON/);
    expectNothingWritten();
  });

  test('400 for a missing body', async () => {
    const res = await answer(handler, httpEvent('POST', '/orders', { headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(400);
    expectNothingWritten();
  });

  test('415 for another media type', async () => {
    const res = await post(JSON.stringify(orderBody()), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expectNothingWritten();
  });

  test('413 for a body over 64 KiB', async () => {
    const res = await post(orderBody({ paymentToken: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expectNothingWritten();
  });

  test('422 naming the duplicated SKU', async () => {
    const res = await post(orderBody({ items: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-1', quantity: 2 }] }));
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/\/items\/1\/sku: sku "SKU-1" appears more than once/);
    expect(res.body.errors).toEqual([{ pointer: '/items/1/sku', message: expect.stringMatching(/SKU-1/) }]);
    expectNothingWritten();
  });

  test('422 for an extra field and for a bad quantity, naming each', async () => {
    const res = await post({ ...orderBody({ items: [{ sku: 'A', quantity: 0 }] }), price: 1 });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/price/);
    expect(res.body.detail).toMatch(/\/items\/0\/quantity: quantity must be at least 1/);
    expectNothingWritten();
  });
});

describe('the customer comes from the access token', () => {
  test('the same Idempotency-Key of two customers makes two orders', async () => {
    const { customerId: _omitted, ...body } = orderBody();
    const mine = await post(body, { 'Idempotency-Key': 'key-1' });
    const theirs = await post(body, { 'Idempotency-Key': 'key-1' }, OTHER_CUSTOMER);
    expect(theirs.body).toMatchObject({ customerId: 'cust-2' });
    expect(theirs.body.orderId).not.toBe(mine.body.orderId);
  });

  test.each([
    ['no token', null],
    ['a token without a subject', { scope: 'order-platform/admin' }],
  ])('%s: 401 with a Bearer challenge before the body is even read, nothing written', async (_name, claims) => {
    const res = await post('{"customerId":', {}, claims);
    expect(res.status).toBe(401);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.headers['WWW-Authenticate']).toMatch(/^Bearer realm="order-platform"/);
    expectNothingWritten();
  });
});

describe('with an EXPRESS saga', () => {
  test('the POST stores the order but leaves the start to the orders stream', async () => {
    process.env.SAGA_WORKFLOW_TYPE = 'EXPRESS';
    try {
      // A fresh module registry reads the new setting; its SDK classes are fresh copies, mocked here.
      let isolated: { handler: typeof handler; ddb: ReturnType<typeof mockClient>; sfn: ReturnType<typeof mockClient> } | undefined;
      jest.isolateModules(() => {
        const isolatedDdb = mockClient(require('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient);
        const isolatedSfn = mockClient(require('@aws-sdk/client-sfn').SFNClient);
        mockClient(require('@aws-sdk/client-lambda').LambdaClient).resolves(catalogueLacks() as never);
        isolatedDdb.resolves({});
        isolated = { handler: require('../../src/handlers/createOrder').handler, ddb: isolatedDdb, sfn: isolatedSfn };
      });
      const res = await answer(
        isolated!.handler,
        httpEvent('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(orderBody()) }),
      );
      expect(res.status).toBe(201);
      expect(isolated!.ddb.calls()).toHaveLength(1);
      expect(isolated!.sfn.calls()).toHaveLength(0);
    } finally {
      process.env.SAGA_WORKFLOW_TYPE = 'STANDARD';
    }
  });
});
