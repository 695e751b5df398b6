import { CreateOrderBody, IdempotencyKey, ListOrdersQuery } from '../src/schemas';
import { orderBody } from './support/fixtures';

function issues(body: unknown): string[] {
  const result = CreateOrderBody.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('a valid body passes unchanged', () => {
  expect(CreateOrderBody.parse(orderBody())).toEqual(orderBody());
});

test.each([
  ['customerId with a space', { customerId: 'cust 1' }, /^customerId: customerId must be 1 to 64/],
  ['customerId of 65 chars', { customerId: 'c'.repeat(65) }, /^customerId: /],
  ['an invalid email', { email: 'ada@' }, /^email: email must be a valid email address/],
  ['no lines', { items: [] }, /^items: items must contain at least 1 line/],
  ['51 lines', { items: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }, /^items: items must contain at most 50 lines/],
  ['a sku starting with "-"', { items: [{ sku: '-x', quantity: 1 }] }, /^items.0.sku: sku must be 1 to 64/],
  ['quantity 0', { items: [{ sku: 'A', quantity: 0 }] }, /^items.0.quantity: quantity must be at least 1/],
  ['quantity 1001', { items: [{ sku: 'A', quantity: 1001 }] }, /^items.0.quantity: quantity must be at most 1000/],
  ['quantity 1.5', { items: [{ sku: 'A', quantity: 1.5 }] }, /^items.0.quantity: quantity must be an integer/],
  ['an extra line field', { items: [{ sku: 'A', quantity: 1, price: 1 }] }, /^items.0: .*price/],
  ['an empty paymentToken', { paymentToken: '' }, /^paymentToken: paymentToken must not be empty/],
  ['a 129-char paymentToken', { paymentToken: 't'.repeat(129) }, /^paymentToken: paymentToken must be at most 128/],
  ['a paymentToken with a control character', { paymentToken: 'tok_\u0000visa' }, /^paymentToken: paymentToken must be visible ASCII characters only/],
  ['a paymentToken with unicode', { paymentToken: 'tok_visä' }, /^paymentToken: paymentToken must be visible ASCII/],
  ['a paymentToken with a space', { paymentToken: 'tok visa' }, /^paymentToken: paymentToken must be visible ASCII/],
])('rejects %s with a precise message', (_name, override, message) => {
  const found = issues({ ...orderBody(), ...override });
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(message);
});

test('rejects extra top-level fields (a client-side price must never be accepted), naming them and the allowed ones', () => {
  expect(issues({ ...orderBody(), total: 1 })).toEqual([
    ': the order has unknown field(s) "total"; allowed: customerId, email, items, paymentToken',
  ]);
});

test('a missing field is "required", a wrong type says the expected type; customerId may be left out (the token names the customer)', () => {
  const { customerId: _omitted, ...withoutCustomer } = orderBody();
  expect(issues(withoutCustomer)).toEqual([]);
  const { email: _email, ...withoutEmail } = orderBody();
  expect(issues(withoutEmail)).toEqual(['email: email is required']);
  expect(issues({ ...orderBody(), customerId: 42 })).toEqual(['customerId: customerId must be a string']);
  expect(issues({ ...orderBody(), items: [{ sku: 'A' }] })).toEqual(['items.0.quantity: quantity is required']);
  expect(issues({ ...orderBody(), items: ['A'] })).toEqual(['items.0: an order line must be a JSON object']);
});

test('a body that is not an object is rejected as such', () => {
  expect(issues([orderBody()])).toEqual([': the order must be a JSON object']);
  expect(issues(null)).toEqual([': the order must be a JSON object']);
});

test('a duplicated SKU is rejected at the repeated line, naming the SKU and both lines', () => {
  const found = issues(orderBody({ items: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }, { sku: 'A', quantity: 2 }] }));
  expect(found).toEqual(['items.2.sku: sku "A" appears more than once (lines 0 and 2); put its whole quantity on one line']);
});

test('Idempotency-Key: 1..128 visible ASCII', () => {
  expect(IdempotencyKey.safeParse('abc-123_~!').success).toBe(true);
  expect(IdempotencyKey.safeParse('k'.repeat(128)).success).toBe(true);
  for (const bad of ['', 'has space', 'k'.repeat(129), 'caf\u00e9', 'tab\t']) expect(IdempotencyKey.safeParse(bad).success).toBe(false);
});

describe('ListOrdersQuery', () => {
  test('limit defaults to 20 and is converted to a number', () => {
    expect(ListOrdersQuery.parse({ customerId: 'c' })).toEqual({ customerId: 'c', limit: 20 });
    expect(ListOrdersQuery.parse({ customerId: 'c', limit: '100', cursor: 'x' })).toEqual({ customerId: 'c', limit: 100, cursor: 'x' });
  });

  test.each([['0'], ['101'], ['-1'], ['1.5'], ['ten'], ['']])('rejects limit %p', (limit) => {
    expect(ListOrdersQuery.safeParse({ customerId: 'c', limit }).success).toBe(false);
  });

  test('customerId is optional (the caller\'s orders); unknown parameters are rejected, naming the allowed ones', () => {
    expect(ListOrdersQuery.parse({})).toEqual({ limit: 20 });
    expect(ListOrdersQuery.safeParse({ customerId: 'a b' }).success).toBe(false);
    expect(ListOrdersQuery.safeParse({ customerId: 'c', status: 'PENDING' }).error?.issues[0]?.message).toBe(
      'the query has unknown field(s) "status"; allowed: customerId, limit, cursor',
    );
  });
});
