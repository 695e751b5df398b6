import type { DynamoOperation } from '../../cost/src/dynamodb';
import type { PathCounts } from '../../cost/src/model';
import type { StepKey } from '../../cost/src/operations';
import { capacityMain } from '../capacity';
import { busiestKeyLoad, KEY_DESIGN, type KeyDesign } from '../src/keys';
import { demandsOf, evaluate, firstLimit, increasesFor, maxSustainable, ordersPerSecondAt, startExecutionsPerOrder, unitsByTable } from '../src/model';
import { loadQuotas, quotaValue, validateQuotas, type Quotas } from '../src/quotas';

const sizes = { 'order.pending': 420, 'order.final': 900, reservation: 330, 'reservation.key': 80, stock: 110, 'stock.projection': 30, payment: 420, notification: 420, 'notification.sent': 700 };
const assumptions = { hottestSkuShare: 0.1, customerOrdersPerSecond: 1 };

/**
 * The DynamoDB requests of the three steps a test order takes, written out here (today's
 * STEP_OPERATIONS, abridged) so that the hand-computed figures do not move when the cost model's
 * table does.
 */
const w = (table: string, action: string, item: string, transactional = false): DynamoOperation => ({ table, action, kind: 'write', item, transactional, why: 'test' });
const r = (table: string, action: string, item: string, consistency: DynamoOperation['consistency'] = 'strong'): DynamoOperation => ({ table, action, kind: 'read', item, consistency, why: 'test' });
const operations = {
  'order.createOrder:created': [w('orders', 'PutItem', 'order.pending'), w('orders', 'GSI byCustomer', 'order.pending')],
  'inventory.reserve:reserved': [
    r('stock', 'BatchGetItem', 'stock.projection', 'eventual'),
    w('reservations', 'TransactWriteItems Put', 'reservation', true),
    w('stock', 'TransactWriteItems Update', 'stock', true),
    w('reservations', 'GSI reservedByShard', 'reservation.key'),
    r('reservations', 'BatchGetItem (sweeper)', 'reservation', 'eventual'),
  ],
  'inventory.ship:shipped': [w('reservations', 'UpdateItem', 'reservation')],
} as Record<StepKey, DynamoOperation[]>;

/** A happy-path order as the cost model derives it (transitions, invocations, publishes, steps). */
const happy: PathCounts = {
  path: 'happy',
  description: 'test',
  source: 'derived',
  stateTransitions: 5,
  retries: 0,
  statesEntered: [],
  executionDurationMs: 1000,
  historyLogBytes: 0,
  invocations: [
    { fn: 'order.createOrder', count: 1, durationMs: 100, memoryMb: 256, architecture: 'arm64' },
    { fn: 'order.publish', count: 2, durationMs: 50, memoryMb: 256, architecture: 'arm64' },
  ],
  snsPublishes: 3,
  sqsRequests: 3,
  dynamodb: { wru: 0, rru: 0 },
  httpRequests: 1,
  emails: 1,
  steps: ['order.createOrder:created', 'inventory.reserve:reserved', 'inventory.ship:shipped'],
  notes: [],
};

function quotas(overrides: Record<string, number | null> = {}): Quotas {
  const base = loadQuotas();
  const copy = JSON.parse(JSON.stringify(base)) as Quotas;
  for (const [id, value] of Object.entries(overrides)) copy.quotas[id]!.value = value;
  return copy;
}

describe('DynamoDB units per table and index', () => {
  it('adds an order\'s writes by table, index writes under table.index', () => {
    const units = unitsByTable(happy.steps, sizes, operations);
    // createOrder: PutItem 1 + GSI byCustomer 1.
    expect(units.get('orders')).toEqual({ wru: 1, rru: 0 });
    expect(units.get('orders.byCustomer')).toEqual({ wru: 1, rru: 0 });
    // reserve: transactional put 2; ship: one UpdateItem 1; the sweeper's status read, eventually (0.5).
    expect(units.get('reservations')).toEqual({ wru: 3, rru: 0.5 });
    // reserve puts the index entry (1); nothing deletes it.
    expect(units.get('reservations.reservedByShard')).toEqual({ wru: 1, rru: 0 });
    // reserve updates the stock item in a transaction (2); ship leaves it alone; reserve reads the price, eventually (0.5).
    expect(units.get('stock')).toEqual({ wru: 2, rru: 0.5 });
  });
});

describe('the busiest partition key', () => {
  it('per order: one order\'s units whatever the rate', () => {
    expect(busiestKeyLoad({ kind: 'per-order' }, 4, assumptions)).toEqual({ fixed: 4, perOrder: 0 });
  });
  it('per customer: the busiest customer\'s orders', () => {
    expect(busiestKeyLoad({ kind: 'per-customer' }, 2, { ...assumptions, customerOrdersPerSecond: 3 })).toEqual({ fixed: 6, perOrder: 0 });
  });
  it('per SKU: the hottest SKU\'s share of every order', () => {
    expect(busiestKeyLoad({ kind: 'per-sku' }, 4, assumptions)).toEqual({ fixed: 0, perOrder: 0.4 });
  });
  it('N shards take 1/N each; a single key takes everything', () => {
    expect(busiestKeyLoad({ kind: 'shards', shards: 50 }, 3, assumptions)).toEqual({ fixed: 0, perOrder: 0.06 });
    expect(busiestKeyLoad({ kind: 'single' }, 3, assumptions)).toEqual({ fixed: 0, perOrder: 3 });
  });
  it('models the sweeper\'s index as its 64 shards', () => {
    expect(KEY_DESIGN.find((k) => k.name === 'reservations.reservedByShard')?.spread).toEqual({ kind: 'shards', shards: 64 });
  });
});

describe('the capacity model', () => {
  const standard = demandsOf(happy, { workflow: 'STANDARD', sizes, assumptions, maxOrderLines: 50, operations });
  const express = demandsOf(happy, { workflow: 'EXPRESS', sizes, assumptions, maxOrderLines: 50, operations });

  it('counts two StartExecution calls per STANDARD order (POST and stream) and one per EXPRESS order', () => {
    expect(startExecutionsPerOrder('STANDARD')).toBe(2);
    expect(startExecutionsPerOrder('EXPRESS')).toBe(1);
  });

  it('Lambda concurrency is invocations x seconds (Little\'s law)', () => {
    // 1 x 0.1 s + 2 x 0.05 s = 0.2 concurrent executions per order per second.
    expect(standard.find((d) => d.quotaId === 'lambda.concurrency')?.perOrder).toBeCloseTo(0.2);
  });

  it('at 100 orders/s in eu-west-1: StartExecution uses 200 of 300 calls/s; transitions 500 of 1,500', () => {
    const rows = evaluate(standard, quotas(), 'eu-west-1', 100);
    const start = rows.find((r) => r.quotaId === 'stepFunctions.standard.startExecution')!;
    expect(start).toMatchObject({ load: 200, quota: 300, headroom: 100, maxOrdersPerSecond: 150 });
    const transitions = rows.find((r) => r.quotaId === 'stepFunctions.standard.stateTransitions')!;
    expect(transitions).toMatchObject({ load: 500, quota: 1500, maxOrdersPerSecond: 300 });
  });

  it('uses the Region\'s own figure, else the default', () => {
    const q = quotas();
    expect(quotaValue(q, 'stepFunctions.standard.startExecution', 'us-east-1')).toBe(300);
    expect(quotaValue(q, 'stepFunctions.standard.startExecution', 'ap-south-1')).toBe(150);
    const rows = evaluate(standard, q, 'ap-south-1', 10);
    expect(rows.find((r) => r.quotaId === 'stepFunctions.standard.startExecution')?.maxOrdersPerSecond).toBe(75);
  });

  it('a single key would be the first limit once Step Functions and SES are raised (1 WCU per order against 1,000)', () => {
    const single: KeyDesign[] = KEY_DESIGN.map((k) => (k.name === 'reservations.reservedByShard' ? { ...k, spread: { kind: 'single' } } : k));
    const demands = demandsOf(happy, { workflow: 'STANDARD', sizes, assumptions, maxOrderLines: 50, keys: single, operations });
    const raised = quotas({ 'stepFunctions.standard.startExecution': 1e6, 'stepFunctions.standard.stateTransitions': 1e6, 'ses.sendRate': 1e6 });
    const first = firstLimit(evaluate(demands, raised, 'eu-west-1', 100))!;
    expect(first.resource).toMatch(/^reservations\.reservedByShard: busiest/);
    expect(first.maxOrdersPerSecond).toBeCloseTo(1000);
  });

  it('the 64 shards keep the sweeper\'s busiest key at 5,000 x 1 / 64 = 78 WCU/s: 8 % of a partition', () => {
    const row = evaluate(express, quotas(), 'eu-west-1', 5000).find((r) => r.resource.startsWith('reservations.reservedByShard: busiest'))!;
    expect(row.load).toBeCloseTo(78.125);
    expect(row.used).toBeCloseTo(0.078125);
  });

  it('EXPRESS has no transition quota and one 6,000/s start per order', () => {
    expect(express.some((d) => d.quotaId === 'stepFunctions.standard.stateTransitions')).toBe(false);
    const rows = evaluate(express, quotas(), 'eu-west-1', 1000);
    expect(rows.find((r) => r.quotaId === 'stepFunctions.express.startExecution')).toMatchObject({ load: 1000, quota: 6000, maxOrdersPerSecond: 6000 });
  });

  it('separates the order path from deferred work (events, notifications)', () => {
    const rows = evaluate(express, quotas({ 'dynamodb.partitionWrite': 1e9 }), 'eu-west-1', 1);
    // SES at 14 emails/s and one email per order: 14 orders/s overall, but the orders themselves go further.
    expect(maxSustainable(rows)).toBe(14);
    expect(maxSustainable(rows, (r) => r.path === 'order')).toBeGreaterThan(14);
  });

  it('an unlimited quota is never reached; a fixed load over its quota is reached at once', () => {
    expect(ordersPerSecondAt({ fixed: 0, perOrder: 3 }, null)).toBe(Infinity);
    expect(ordersPerSecondAt({ fixed: 51, perOrder: 0 }, 100)).toBe(Infinity);
    expect(ordersPerSecondAt({ fixed: 101, perOrder: 0 }, 100)).toBe(0);
    expect(ordersPerSecondAt({ fixed: 10, perOrder: 2 }, 100)).toBe(45);
  });

  it('lists the increases a target needs, and a redesign for a quota that cannot be raised', () => {
    const increases = increasesFor(standard, quotas(), 'eu-west-1', 1000);
    const byId = Object.fromEntries(increases.map((i) => [i.row.quotaId, i.needed]));
    expect(byId['stepFunctions.standard.startExecution']).toBe(2000);
    expect(byId['stepFunctions.standard.stateTransitions']).toBe(5000);
    expect(byId['ses.sendRate']).toBe(1000);
    // The hottest SKU (10 % of orders, 2 WCU each) takes 200 WCU/s on its stock item: no increase needed.
    expect('dynamodb.partitionWrite' in byId).toBe(false);
    // At 10,000 orders/s it takes 2,000: the per-partition limit cannot be raised, so that needs another key design.
    const flash = Object.fromEntries(increasesFor(standard, quotas(), 'eu-west-1', 10_000).map((i) => [i.row.quotaId, i.needed]));
    expect('dynamodb.partitionWrite' in flash).toBe(true);
    expect(flash['dynamodb.partitionWrite']).toBeUndefined();
  });
});

describe('quotas.json', () => {
  it('gives every quota a value, a unit, whether it can be raised, an https source and the date it was checked', () => {
    const q = loadQuotas();
    expect(q.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const quota of Object.values(q.quotas)) {
      expect(quota.source).toMatch(/^https:\/\//);
      expect(quota.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it('refuses a quota without a source or a date', () => {
    const q = JSON.parse(JSON.stringify(loadQuotas())) as Quotas;
    q.quotas['sns.publish']!.source = 'memory';
    delete (q.quotas['ses.sendRate'] as Partial<Quotas['quotas'][string]>).checked;
    expect(() => validateQuotas(q)).toThrow(/sns\.publish\.source.*ses\.sendRate\.checked/);
  });
});

// The CLI reads the saga definition and the last cost run, as `npm run capacity` does.
describe('npm run capacity', () => {
  const run = (...argv: string[]) => {
    const lines: string[] = [];
    const report = capacityMain(argv, loadQuotas(), (line) => lines.push(line));
    return { report, text: lines.join('\n') };
  };

  it('--orders-per-second 1000: the table, the first limit and the highest sustainable rate (STANDARD: StartExecution, 2 per order)', () => {
    const { report, text } = run('--orders-per-second', '1000');
    expect(text).toMatch(/\| Service \| Resource \| Load \| Quota \| Headroom \| Used \| Reached at orders\/s \|/);
    expect(text).toMatch(/First limit hit: /);
    expect(report.firstOrderPath?.quotaId).toBe('stepFunctions.standard.startExecution');
    expect(report.maxOrderPath).toBe(150);
    // Every quota printed comes with its source and the date it was checked.
    for (const id of new Set(report.rows.map((row) => row.quotaId))) {
      const quota = loadQuotas().quotas[id]!;
      expect(text).toContain(`- ${quota.name}: ${quota.source} (checked ${quota.checked}`);
    }
  });

  it('--orders-per-second 5000 --workflow EXPRESS --target 5000: no transition quota, the increases listed', () => {
    const { report, text } = run('--orders-per-second', '5000', '--workflow', 'EXPRESS', '--target', '5000');
    expect(report.rows.some((row) => row.quotaId === 'stepFunctions.standard.stateTransitions')).toBe(false);
    expect(text).toMatch(/For 5,000 orders\/s:/);
    // Counts only (3 publishes per order), not the measured durations that Lambda concurrency rests on.
    expect(text).toMatch(/\| SNS Publish \(standard topics, account, Region\) \| 9,000 publishes\/s \| 15,000 \| Publish \|/u);
    // No key blocks 5,000 orders/s at the default SKU spread...
    expect(text).not.toMatch(/cannot be raised/);
    // ...but a sale where half the orders buy one SKU puts 10,000 WCU/s on its stock item.
    expect(run('--orders-per-second', '5000', '--workflow', 'EXPRESS', '--target', '5000', '--hottest-sku-share', '0.5').text).toMatch(/cannot be raised: change the design/);
  });

  it('refuses a missing or bad rate', () => {
    expect(() => run()).toThrow(/--orders-per-second must be a number above 0/);
    expect(() => run('--orders-per-second', '10', '--hottest-sku-share', '2')).toThrow(/--hottest-sku-share/);
  });
});
