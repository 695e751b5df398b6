import { HttpProblem, TransientError } from '@order-platform/shared';
import { deterministicOrderId, requestHash } from '../../src/domain/idempotency';
import type { OrderRecord } from '../../src/domain/order';
import { placeOrder, type PlaceOrderDependencies, type PlaceOrderInput } from '../../src/domain/place-order';
import { sagaStartPolicy } from '../../src/domain/saga-start';
import { ADMIN, CUSTOMER, FakeCatalogue, InMemoryOrderRepository, OTHER_CUSTOMER, RecordingSagaStarter, recordingObserver } from '../support/fakes';
import { NOW, orderBody } from '../support/fixtures';

/*
 * POST /orders as a use case, with in-memory fakes of its ports (no SDK). What only the wiring
 * can show (the SDK calls, the HTTP status of a thrown problem, the headers) is in
 * test/handlers/createOrder.test.ts.
 */

let orders: InMemoryOrderRepository;
let catalogue: FakeCatalogue;
let saga: RecordingSagaStarter;
let observer: ReturnType<typeof recordingObserver>;
let deps: PlaceOrderDependencies;

beforeEach(() => {
  orders = new InMemoryOrderRepository();
  catalogue = new FakeCatalogue();
  saga = new RecordingSagaStarter();
  observer = recordingObserver();
  deps = { orders, catalogue, saga, startPolicy: sagaStartPolicy('STANDARD'), clock: () => new Date(NOW), observer };
});

function place(overrides: Partial<PlaceOrderInput> = {}) {
  return placeOrder({ body: orderBody(), principal: CUSTOMER, ...overrides }, deps);
}

/** The problem a refused placement throws (or fails the test). */
async function refused(placing: Promise<unknown>): Promise<HttpProblem> {
  const error = await placing.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
}

const stored = (orderId: string) => orders.orders.get(orderId);
const sagaInputFor = (orderId: string) =>
  JSON.stringify({ orderId, customerId: 'cust-1', email: 'ada@example.com', items: orderBody().items, paymentToken: 'tok_visa' });
const throttled = (name = 'ProvisionedThroughputExceededException') => Object.assign(new Error('slow down'), { name });

function expectNothingWritten() {
  expect(orders.orders.size).toBe(0);
  expect(saga.started).toEqual([]);
}

describe('a new order', () => {
  test('without a key: stored PENDING with its token and request hash, no key; saga started by orderId', async () => {
    const { order, replayed } = await place();
    expect(replayed).toBe(false);
    expect(order.orderId).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(order).toMatchObject({ status: 'PENDING', customerId: 'cust-1', email: 'ada@example.com', items: orderBody().items, createdAt: NOW, updatedAt: NOW });
    expect(stored(order.orderId)).toEqual(order);
    expect(stored(order.orderId)).toMatchObject({ paymentToken: 'tok_visa', requestHash: requestHash(orderBody()) });
    expect(stored(order.orderId)).not.toHaveProperty('idempotencyKey');
    // Byte-identical input, key order included: what makes a repeated start idempotent.
    expect(saga.started).toEqual([sagaInputFor(order.orderId)]);
    expect(observer.seen).toEqual([`identified ${order.orderId}`, `created ${order.orderId}`, 'saga STARTED']);
  });

  test('with an Idempotency-Key: the orderId is derived from customer and key, and the key is stored', async () => {
    const { order } = await place({ idempotencyKey: 'key-1' });
    expect(order.orderId).toBe(deterministicOrderId('cust-1', 'key-1'));
    expect(stored(order.orderId)).toMatchObject({ idempotencyKey: 'key-1' });
  });

  test('an execution that already exists counts as started', async () => {
    saga.result = 'ALREADY_STARTED';
    await expect(place()).resolves.toMatchObject({ replayed: false });
    expect(observer.seen).toContain('saga ALREADY_STARTED');
  });

  test.each([
    ['throttled', throttled('ThrottlingException')],
    ['a transient failure', throttled('ServiceUnavailable')],
    ['even a non-retryable one (e.g. missing state machine)', Object.assign(new Error('gone'), { name: 'StateMachineDoesNotExist' })],
  ])('the saga failing to start (%s): accepted (sagaDeferred, 202), the order stays stored for the stream to start', async (_name, failure) => {
    saga.failure = failure;
    const placed = await place({ idempotencyKey: 'key-1' });
    const orderId = deterministicOrderId('cust-1', 'key-1');
    expect(placed).toMatchObject({ replayed: false, sagaDeferred: true, order: { orderId, status: 'PENDING' } });
    expect(stored(orderId)).toBeDefined();
    expect(observer.seen).toEqual([`identified ${orderId}`, `created ${orderId}`, `saga failed ${orderId}: ${failure.message}`]);
  });

  test('the saga failing to start where no stream starts it: 503 with the orderId and Retry-After; the order stays stored', async () => {
    deps.startPolicy = { onCreate: true, onReplay: true, onInsert: false };
    saga.failure = throttled('ThrottlingException');
    const problem = await refused(place({ idempotencyKey: 'key-1' }));
    const orderId = deterministicOrderId('cust-1', 'key-1');
    expect(problem).toMatchObject({ status: 503, extensions: { orderId }, headers: { 'Retry-After': '2' } });
    expect(problem.detail).toMatch(/stored but its processing could not be started yet/);
    expect(stored(orderId)).toBeDefined();
  });

  test('the order store throttling: 503 with Retry-After, and no saga', async () => {
    orders.failure = throttled();
    const problem = await refused(place());
    expect(problem).toMatchObject({ status: 503, detail: 'The order store is temporarily unavailable; retry later', headers: { 'Retry-After': '2' } });
    expect(saga.started).toEqual([]);
  });

  test('an unexpected store error is thrown as it is (the handler answers a generic 500), and no saga', async () => {
    const defect = Object.assign(new Error('secret table detail'), { name: 'ValidationException' });
    orders.failure = defect;
    await expect(place()).rejects.toBe(defect);
    expect(saga.started).toEqual([]);
  });
});

describe('a repeated request with the same Idempotency-Key', () => {
  async function firstOrder(): Promise<OrderRecord> {
    const { order } = await place({ idempotencyKey: 'key-1' });
    saga.started.length = 0;
    observer.seen.length = 0;
    return order;
  }

  test('and the same body: the same order, replayed, and the same idempotent start', async () => {
    const first = await firstOrder();
    // Same body with its keys in another order: still the same request.
    const { paymentToken, items, email, customerId } = orderBody();
    const replay = await place({ body: { paymentToken, items, email, customerId }, idempotencyKey: 'key-1' });
    expect(replay).toEqual({ order: first, replayed: true });
    expect(saga.started).toEqual([sagaInputFor(first.orderId)]);
    expect(observer.seen).toEqual([`identified ${first.orderId}`, 'saga STARTED', `replayed ${first.orderId}`]);
  });

  test('of an order whose saga finished: its current state, no new start', async () => {
    const first = await firstOrder();
    orders.orders.set(first.orderId, { ...first, status: 'CONFIRMED' });
    const replay = await place({ idempotencyKey: 'key-1' });
    expect(replay.replayed).toBe(true);
    expect(replay.order.status).toBe('CONFIRMED');
    expect(saga.started).toEqual([]);
  });

  test('heals a first start that failed, and answers accepted (202) again while it still fails', async () => {
    saga.failure = throttled('ThrottlingException');
    const orderId = (await place({ idempotencyKey: 'key-1' })).order.orderId;
    const again = await place({ idempotencyKey: 'key-1' });
    expect(again).toMatchObject({ replayed: true, sagaDeferred: true, order: { orderId } });
    saga.failure = undefined;
    const healed = await place({ idempotencyKey: 'key-1' });
    expect(healed).toMatchObject({ replayed: true, order: { orderId } });
    expect(healed).not.toHaveProperty('sagaDeferred');
    expect(saga.started).toEqual([sagaInputFor(orderId)]);
  });

  test('and another body: 409, nothing started', async () => {
    await firstOrder();
    const problem = await refused(place({ body: orderBody({ items: [{ sku: 'SKU-1', quantity: 3 }] }), idempotencyKey: 'key-1' }));
    expect(problem.status).toBe(409);
    expect(problem.detail).toMatch(/Idempotency-Key/);
    expect(saga.started).toEqual([]);
  });
});

describe('SKUs are checked against the inventory catalogue before anything is stored', () => {
  test('the catalogue is asked once per order, for each SKU once', async () => {
    await place();
    expect(catalogue.asked).toEqual([['SKU-1', 'SKU-2']]);
  });

  test('an unknown SKU: 422 naming it and its line, nothing stored, no saga', async () => {
    catalogue.lacks = ['SKU-2'];
    const problem = await refused(place());
    expect(problem.status).toBe(422);
    expect(problem.detail).toBe('items: SKU "SKU-2" is not in the catalogue');
    expect(problem.extensions).toEqual({
      unknownSkus: ['SKU-2'],
      errors: [{ pointer: '/items/1/sku', message: 'SKU "SKU-2" is not in the catalogue' }],
    });
    expectNothingWritten();
  });

  test('several unknown SKUs are all named', async () => {
    catalogue.lacks = ['SKU-1', 'SKU-2'];
    const problem = await refused(place());
    expect(problem.detail).toBe('items: SKUs "SKU-1", "SKU-2" are not in the catalogue');
    expect((problem.extensions.errors as unknown[]).length).toBe(2);
    expectNothingWritten();
  });

  test.each([
    ['throttled', throttled('TooManyRequestsException')],
    ['failing (the lookup function timed out, its table throttled)', new TransientError('inventory-test-lookupSkus failed (Unhandled)')],
  ])('the catalogue %s: 503 with Retry-After, nothing stored', async (_name, failure) => {
    catalogue.failure = failure;
    const problem = await refused(place());
    expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } });
    expect(problem.detail).toMatch(/inventory catalogue is temporarily unavailable/);
    expectNothingWritten();
  });

  test('a catalogue defect (an answer outside its contract) is thrown as it is, nothing stored', async () => {
    const defect = new Error('inventory-test-lookupSkus answered outside its contract');
    catalogue.failure = defect;
    await expect(place()).rejects.toBe(defect);
    expectNothingWritten();
  });
});

describe('the customer comes from the access token', () => {
  test("without customerId in the body, the order is the caller's; it is the same request as with it", async () => {
    const { customerId: _omitted, ...withoutCustomer } = orderBody();
    const { order } = await place({ body: withoutCustomer, idempotencyKey: 'key-1' });
    expect(order).toMatchObject({ customerId: 'cust-1', orderId: deterministicOrderId('cust-1', 'key-1') });
    expect(stored(order.orderId)).toMatchObject({ customerId: 'cust-1', requestHash: requestHash(orderBody()) });
  });

  test("another customer's id in the body: 403, nothing written, the catalogue not even asked", async () => {
    const problem = await refused(place({ body: orderBody({ customerId: 'cust-2' }) }));
    expect(problem.status).toBe(403);
    expect(problem.detail).toMatch(/customerId "cust-2" is not you/);
    expect(catalogue.asked).toEqual([]);
    expectNothingWritten();
  });

  test('an admin places orders for itself only, too', async () => {
    expect((await refused(place({ principal: ADMIN }))).status).toBe(403);
    expectNothingWritten();
  });

  test('the same Idempotency-Key of two customers makes two orders', async () => {
    const { customerId: _omitted, ...body } = orderBody();
    const mine = await place({ body, idempotencyKey: 'key-1' });
    const theirs = await place({ body, principal: OTHER_CUSTOMER, idempotencyKey: 'key-1' });
    expect(theirs.order.customerId).toBe('cust-2');
    expect(theirs.order.orderId).not.toBe(mine.order.orderId);
    expect(orders.orders.size).toBe(2);
  });
});

describe('with an EXPRESS saga', () => {
  test('the order is stored but its start is left to the orders stream, on a replay too', async () => {
    deps.startPolicy = sagaStartPolicy('EXPRESS');
    const { order } = await place({ idempotencyKey: 'key-1' });
    expect(stored(order.orderId)).toBeDefined();
    await expect(place({ idempotencyKey: 'key-1' })).resolves.toMatchObject({ replayed: true });
    expect(saga.started).toEqual([]);
  });
});
