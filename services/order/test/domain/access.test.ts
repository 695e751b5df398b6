import type { Principal } from '@order-platform/shared/auth';
import { canReadOrder, customerToList, ownerOfNewOrder } from '../../src/domain/access';

const customer: Principal = { customerId: 'c1', scopes: [], isAdmin: false };
const admin: Principal = { customerId: 'ops', scopes: ['order-platform/admin'], isAdmin: true };

describe('ownerOfNewOrder: the caller, whatever the body says', () => {
  test.each([
    ['no customerId', customer, undefined, { allowed: true, value: 'c1' }],
    ['its own id', customer, 'c1', { allowed: true, value: 'c1' }],
    ['an admin, no customerId', admin, undefined, { allowed: true, value: 'ops' }],
  ] as const)('%s: allowed', (_name, principal, requested, expected) => {
    expect(ownerOfNewOrder(principal, requested)).toEqual(expected);
  });

  test.each([
    ['a customer naming another', customer, 'c2'],
    ['an admin naming a customer', admin, 'c1'],
  ] as const)('%s: refused with a reason', (_name, principal, requested) => {
    expect(ownerOfNewOrder(principal, requested)).toEqual({ allowed: false, reason: expect.stringContaining(`customerId "${requested}" is not you`) });
  });
});

test('canReadOrder: the owner and admins', () => {
  expect(canReadOrder(customer, { customerId: 'c1' })).toBe(true);
  expect(canReadOrder(customer, { customerId: 'c2' })).toBe(false);
  expect(canReadOrder(admin, { customerId: 'c2' })).toBe(true);
});

test("customerToList: one's own orders; an admin names anyone", () => {
  expect(customerToList(customer, undefined)).toEqual({ allowed: true, value: 'c1' });
  expect(customerToList(customer, 'c1')).toEqual({ allowed: true, value: 'c1' });
  expect(customerToList(customer, 'c2')).toMatchObject({ allowed: false });
  expect(customerToList(admin, 'c2')).toEqual({ allowed: true, value: 'c2' });
  expect(customerToList(admin, undefined)).toEqual({ allowed: true, value: 'ops' });
});
