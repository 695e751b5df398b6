import { invocationsInLog } from '../src/observe';
import { costPerOrder, derivePathCounts, expressExecutionCost, PATHS, sqsRequestsFor, standardExecutionCost, stepsOf, total, type PathCounts } from '../src/model';
import { DEFAULT_ITEM_SIZES, functionOf } from '../src/operations';
import { loadPrices, type Prices } from '../src/prices';
import { loadSagaDefinition } from '../src/saga';

const definition = loadSagaDefinition();
const prices: Prices = loadPrices();
const path = (name: string) => PATHS.find((p) => p.name === name)!;
const durations = Object.fromEntries(
  ['inventory.lookupSkus', 'order.createOrder', 'order.publish', 'order.confirmOrder', 'order.markOrderFailed', 'inventory.reserve', 'inventory.ship', 'inventory.release', 'payment.charge', 'payment.refund', 'payment.publish', 'notification.consume'].map((fn) => [fn, 100]),
);
const options = { sizes: DEFAULT_ITEM_SIZES, durations, memory: {}, executionDurationMs: 1234, historyLogBytesPerState: 400, sqsMessagesPerBatch: 1 };

describe('what an order of each path runs', () => {
  it('happy path: the catalogue lookup, the POST, four steps, two order-stream and one payment-stream publish, one notification', () => {
    const { steps } = stepsOf(path('happy'), definition);
    const count = (fn: string) => steps.filter((s) => functionOf(s) === fn).length;
    expect(steps.slice(0, 2)).toEqual(['inventory.lookupSkus:checked', 'order.createOrder:created']);
    expect(count('order.createOrder')).toBe(1);
    expect(count('order.publish')).toBe(2);
    expect(count('payment.publish')).toBe(1);
    expect(count('notification.consume')).toBe(1);
    expect(steps).toHaveLength(10);
  });

  it('a payment that never went through is refunded as "nothing to refund" and its stock released', () => {
    const { steps } = stepsOf(path('payment-unavailable'), definition);
    expect(steps.filter((s) => s === 'payment.charge:unavailable')).toHaveLength(9);
    expect(steps).toContain('payment.refund:nothing-to-refund');
    expect(steps).toContain('inventory.release:released');
  });

  it('a failed shipment notifies twice: the refund and the failure', () => {
    const counts = derivePathCounts(path('shipping-failed'), definition, options);
    expect(counts.emails).toBe(2);
    expect(counts.snsPublishes).toBe(4); // OrderPlaced, PaymentCaptured, PaymentRefunded, OrderFailed
  });

  it('derives transitions, publishes and SQS requests for the happy path', () => {
    const counts = derivePathCounts(path('happy'), definition, options);
    expect(counts.stateTransitions).toBe(5);
    expect(counts.snsPublishes).toBe(3);
    expect(counts.sqsRequests).toBe(3);
    expect(counts.source).toBe('derived');
  });
});

describe('the cost of an order', () => {
  const counts: PathCounts = {
    path: 'test',
    description: '',
    source: 'derived',
    stateTransitions: 5,
    retries: 0,
    statesEntered: [],
    executionDurationMs: 250,
    historyLogBytes: 2 ** 20,
    invocations: [{ fn: 'a.b', count: 2, durationMs: 99.2, memoryMb: 512, architecture: 'arm64' }],
    snsPublishes: 3,
    sqsRequests: 3,
    dynamodb: { wru: 10, rru: 4 },
    httpRequests: 1,
    emails: 1,
    steps: [],
    notes: [],
  };

  it('prices each service from prices.json', () => {
    const b = costPerOrder(counts, prices, { workflow: 'STANDARD' });
    expect(b['Step Functions']).toBeCloseTo((5 * prices.stepFunctions.standard.perThousandTransitions) / 1000, 12);
    // 2 invocations x 100 ms (99.2 rounded up to the ms, then 100) x 0.5 GB
    expect(b['Lambda duration']).toBeCloseTo(2 * 0.1 * 0.5 * prices.lambda.gbSecond.arm64, 12);
    expect(b['Lambda requests']).toBeCloseTo((2 * prices.lambda.requestsPerMillion) / 1e6, 12);
    expect(b.DynamoDB).toBeCloseTo((10 * prices.dynamodb.writeRequestUnitsPerMillion + 4 * prices.dynamodb.readRequestUnitsPerMillion) / 1e6, 12);
    expect(b.SES).toBeCloseTo(prices.ses.emailsPerThousand / 1000, 12);
    expect(b['CloudWatch Logs']).toBe(0);
  });

  it('an Express execution is one request plus 64 MB for its duration rounded up to 100 ms', () => {
    const e = prices.stepFunctions.express;
    expect(expressExecutionCost(250, prices)).toBeCloseTo(e.requestsPerMillion / 1e6 + 0.3 * (64 / 1024) * e.gbSecond, 15);
    expect(expressExecutionCost(1, prices)).toBeCloseTo(e.requestsPerMillion / 1e6 + 0.1 * (64 / 1024) * e.gbSecond, 15);
    const b = costPerOrder(counts, prices, { workflow: 'EXPRESS', expressHistoryLogs: true });
    expect(b['Step Functions']).toBe(expressExecutionCost(250, prices));
    expect(b['CloudWatch Logs']).toBeCloseTo(prices.cloudWatchLogs.ingestionPerGb / 1024, 12);
  });

  it('a Standard saga of five transitions costs more than an Express one', () => {
    expect(standardExecutionCost(5, prices)).toBeGreaterThan(expressExecutionCost(1000, prices));
    expect(total(costPerOrder(counts, prices, { workflow: 'STANDARD' }))).toBeGreaterThan(total(costPerOrder(counts, prices, { workflow: 'EXPRESS' })));
  });

  it('counts SQS requests per message: the SNS delivery, and a share of one receive and one delete', () => {
    expect(sqsRequestsFor(1, 1)).toBe(3);
    expect(sqsRequestsFor(2, 10)).toBeCloseTo(2.4, 10);
    expect(sqsRequestsFor(0, 1)).toBe(0);
  });
});

describe('reading serverless-offline logs', () => {
  it('finds every invocation with its duration', () => {
    const text = [
      '(λ: publish) RequestId: bfeeeaec-c2e1  Duration: 63.27 ms  Billed Duration: 64 ms',
      '{"level":"INFO","message":"Order confirmed"}',
      '(λ: confirmOrder) RequestId: 86c841b6  Duration: 439.51 ms  Billed Duration: 440 ms',
    ].join('\n');
    expect(invocationsInLog('order', text)).toEqual([
      { fn: 'order.publish', durationMs: 63.27 },
      { fn: 'order.confirmOrder', durationMs: 439.51 },
    ]);
  });
});

describe('reading failed invocations', () => {
  it('counts a handler that threw, without a duration', () => {
    const text = "× Unhandled Lambda Error during invoke of 'inventory-local-reserve': OutOfStock: Not enough stock for X";
    const [found] = invocationsInLog('inventory', text);
    expect(found!.fn).toBe('inventory.reserve');
    expect(Number.isNaN(found!.durationMs)).toBe(true);
  });
});
