import type { Snapshot } from '../src/invariant-checks';
import { runInvariants } from '../src/invariants';
import { isReservation, toOrderRow, toStockRow } from '../src/snapshot';

const takenAt = new Date('2030-01-01T12:00:00.000Z');
function snapshot(available: number): Snapshot {
  return {
    stock: [{ sku: 'A', available, held: 0, stockedAvailable: 5, stockedHeld: 0 }],
    reservations: [],
    orders: [],
    payments: [],
    notifications: [],
    executions: new Map(),
    takenAt,
  };
}

async function run(argv: string[], snap: Snapshot) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runInvariants([...argv, '--stage', 'dev'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env: {}, read: async () => snap });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('exit 0 and a line per invariant when everything holds', async () => {
  const { code, out } = await run([], snapshot(5));
  expect(code).toBe(0);
  expect(out).toMatch(/checked 1 SKUs, 0 orders/);
  expect(out).toMatch(/ok {3}stock-conserved/);
  expect(out).toMatch(/all invariants hold$/);
});

test('exit 1 naming each violation', async () => {
  const { code, out } = await run([], snapshot(4));
  expect(code).toBe(1);
  expect(out).toMatch(/FAIL stock-conserved \(1\)/);
  expect(out).toMatch(/✗ stock-conserved A: available 4 \+ held 0 = 4, but the last PUT left 5/);
});

test('--json and --sku scope', async () => {
  const { out } = await run(['--json', '--sku', 'B'], snapshot(4));
  expect(JSON.parse(out)).toMatchObject({ stage: 'dev', ok: true, checked: { skus: 0 } });
});

test('bad options exit 2', async () => {
  expect((await run(['--pending-grace', 'soon'], snapshot(5))).code).toBe(2);
  expect((await run(['--bogus'], snapshot(5))).code).toBe(2);
});

test('a stack that cannot be read exits 1 saying where it looked', async () => {
  const err: string[] = [];
  const code = await runInvariants(['--stage', 'dev'], {
    stdout: () => undefined,
    stderr: (l) => err.push(l),
    env: {},
    read: async () => {
      throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    },
  });
  expect(code).toBe(1);
  expect(err.join()).toMatch(/could not read the stack \(AWS.*ResourceNotFoundException/);
});

test('rows from DynamoDB items', () => {
  expect(toStockRow({ sku: 'A', available: 1, held: 5, stockedAvailable: 4, stockedHeld: 2, price: 9 })).toEqual({
    sku: 'A',
    available: 1,
    held: 5,
    stockedAvailable: 4,
    stockedHeld: 2,
  });
  expect(toStockRow({ sku: 'B', available: 1 })).toEqual({ sku: 'B', available: 1, held: 0 });
  // The reservations table also holds the expiry sweeper's checkpoint, which is no reservation.
  expect(isReservation({ orderId: '#sweep-checkpoint', 'shard-07': { createdAt: 't', orderId: 'o' } })).toBe(false);
  expect(isReservation({ orderId: 'o', status: 'SHIPPED', lines: [] })).toBe(true);
  expect(
    toOrderRow({ orderId: 'o', status: 'CONFIRMED', items: [{ sku: 'A', quantity: 2 }], createdAt: 't', total: { amount: 5, currency: 'EUR' }, paymentId: 'p', paymentToken: 'tok' }),
  ).toEqual({ orderId: 'o', status: 'CONFIRMED', items: [{ sku: 'A', quantity: 2 }], createdAt: 't', total: { amount: 5, currency: 'EUR' }, paymentId: 'p' });
  expect(toOrderRow({ orderId: 'o', customerId: 'c', status: 'PENDING', items: [], createdAt: 't' })).toMatchObject({ customerId: 'c' });
});
