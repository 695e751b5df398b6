import fc from 'fast-check';
import { canonicalJson, deterministicOrderId, orderIdFor, randomOrderId, requestHash } from '../../src/domain/idempotency';
import { OrderId } from '../../src/schemas';
import { orderBody } from '../support/fixtures';

describe('order ids', () => {
  test('the same customer and key always give the same id, shaped like every order id', () => {
    const id = deterministicOrderId('cust-1', 'key-1');
    expect(id).toBe(deterministicOrderId('cust-1', 'key-1'));
    expect(id).toMatch(/^ord_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(OrderId.safeParse(id).success).toBe(true);
  });

  test('keys are scoped per customer, and the separator keeps concatenations apart', () => {
    expect(deterministicOrderId('cust-1', 'key-1')).not.toBe(deterministicOrderId('cust-2', 'key-1'));
    expect(deterministicOrderId('ab', 'c')).not.toBe(deterministicOrderId('a', 'bc'));
  });

  test('different keys give different ids (no collision over many keys)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 2, maxLength: 30 }), (keys) => {
        const ids = new Set(keys.map((key) => deterministicOrderId('cust-1', key)));
        expect(ids.size).toBe(keys.length);
      }),
    );
  });

  test('without a key the id is random and valid', () => {
    expect(randomOrderId(() => '123e4567-e89b-12d3-a456-426614174000')).toBe('ord_123e4567e89b12d3a456426614174000');
    const a = orderIdFor('cust-1', undefined);
    expect(a).not.toBe(orderIdFor('cust-1', undefined));
    expect(OrderId.safeParse(a).success).toBe(true);
    expect(orderIdFor('cust-1', 'k')).toBe(deterministicOrderId('cust-1', 'k'));
  });
});

describe('canonicalJson and requestHash', () => {
  test('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }, 'z'], c: null })).toBe('{"a":[{"x":1,"y":2},"z"],"b":1,"c":null}');
  });

  test('property: key order never changes the hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (doc) => {
        const reversed = Object.fromEntries(Object.entries(doc).reverse());
        expect(requestHash(reversed)).toBe(requestHash(doc));
      }),
    );
  });

  test('any change of the body changes the hash', () => {
    const base = requestHash(orderBody());
    expect(requestHash(orderBody({ paymentToken: 'tok_other' }))).not.toBe(base);
    expect(requestHash(orderBody({ items: [{ sku: 'SKU-2', quantity: 1 }, { sku: 'SKU-1', quantity: 2 }] }))).not.toBe(base);
    expect(requestHash(orderBody({ email: 'other@example.com' }))).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
