import fc from 'fast-check';
import { decodeCursor, encodeCursor, InvalidCursor, pageOf, type PageKey } from '../../src/domain/cursor';

const key: PageKey = { orderId: 'ord_abc', customerId: 'cust-1', createdAt: '2025-01-02T03:04:05.678Z' };

describe('cursor codec', () => {
  test('round-trips and is URL-safe', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'cust-1')).toEqual(key);
  });

  test('property: every index key round-trips', () => {
    const keys = fc.record({
      orderId: fc.stringMatching(/^ord_[A-Za-z0-9]{1,60}$/),
      customerId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      createdAt: fc.date({ min: new Date(0), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
    });
    fc.assert(fc.property(keys, (k) => expect(decodeCursor(encodeCursor(k), k.customerId)).toEqual(k)));
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  test.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', b64('{"orderId":')],
    ['JSON of another shape', b64('{"orderId":"ord_abc"}')],
    ['extra fields', b64(JSON.stringify({ ...key, admin: true }))],
    ['a bad createdAt', b64(JSON.stringify({ ...key, createdAt: 'yesterday' }))],
    ['an array', b64('[1,2]')],
  ])('rejects %s', (_name, cursor) => {
    expect(() => decodeCursor(cursor, 'cust-1')).toThrow(InvalidCursor);
  });

  test("rejects another customer's cursor", () => {
    expect(() => decodeCursor(encodeCursor(key), 'cust-2')).toThrow(/another customer/);
  });
});

describe('pageOf', () => {
  const orders = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ orderId: `ord_${i}`, customerId: 'cust-1', createdAt: `2025-01-0${9 - i}T00:00:00.000Z`, extra: i }));

  test('an extra item means another page follows, resuming after the last one shown', () => {
    const { page, next } = pageOf(orders(3), 2, undefined);
    expect(page.map((o) => o.orderId)).toEqual(['ord_0', 'ord_1']);
    expect(next).toEqual({ orderId: 'ord_1', customerId: 'cust-1', createdAt: '2025-01-08T00:00:00.000Z' });
  });

  test('no extra item and no LastEvaluatedKey: the last page', () => {
    expect(pageOf(orders(2), 2, undefined)).toEqual({ page: orders(2), next: undefined });
  });

  test('DynamoDB stopped early: its LastEvaluatedKey resumes the listing', () => {
    const lek = { ...key, somethingElse: 'x' } as PageKey;
    expect(pageOf(orders(1), 2, lek).next).toEqual(key);
  });
});
