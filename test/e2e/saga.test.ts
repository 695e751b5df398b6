import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { executionHistory, statesEntered } from '../../tools/local-stack/src/client/saga-path';
import { e2eContext, eventually, unique, type E2eContext } from './support/context';

/**
 * The order saga through the real stack: HTTP → order function → Step Functions → the services'
 * functions through serverless-offline → DynamoDB streams → SNS → SQS → notification.
 */
let ctx: E2eContext;
const sku = unique('E2E-SKU');
const scarce = unique('E2E-SCARCE');

beforeAll(async () => {
  ctx = e2eContext();
  await ctx.platform.putStock(sku, { price: 1500, currency: 'EUR', available: 10 });
  await ctx.platform.putStock(scarce, { price: 900, currency: 'EUR', available: 1 });
});
afterAll(() => ctx.close());

const order = (customer: string, items: Array<{ sku: string; quantity: number }>, paymentToken: string) => ({
  customerId: customer,
  email: `${customer}@example.com`,
  items,
  paymentToken,
});

describe('an order that goes through', () => {
  it('reaches CONFIRMED with stock committed, the payment captured and one notification', async () => {
    const placed = await ctx.platform.placeOrder(order(unique('ok'), [{ sku, quantity: 2 }], 'tok_visa'));
    expect(placed.status).toBe('PENDING');

    const final = await ctx.platform.waitForOutcome(placed.orderId);
    expect(final).toMatchObject({ status: 'CONFIRMED', total: { amount: 3000, currency: 'EUR' } });

    expect(await ctx.platform.getStock(sku)).toMatchObject({ available: 8, held: 2 });
    expect(await ctx.platform.getPayment(placed.orderId)).toMatchObject({ status: 'CAPTURED', amount: { amount: 3000, currency: 'EUR' } });

    const notifications = await eventually(() => ctx.platform.listNotifications(placed.orderId), (items) => items.length > 0, 90_000);
    expect(notifications.map((n) => n.eventType)).toEqual(['OrderConfirmed']);

    const events = await executionHistory(ctx.sfn, final.executionArn!);
    expect(statesEntered(events)).toEqual(['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'ConfirmOrder', 'OrderConfirmed']);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
  });
});

describe('a declined card', () => {
  it('fails with PAYMENT_DECLINED, releases the reservation and charges nothing', async () => {
    const before = await ctx.platform.getStock(sku);
    const placed = await ctx.platform.placeOrder(order(unique('declined'), [{ sku, quantity: 3 }], 'tok_decline'));

    const final = await ctx.platform.waitForOutcome(placed.orderId);
    expect(final).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });

    const stock = await ctx.platform.getStock(sku);
    // The compensation gave the 3 units back: nothing held for this order.
    expect(stock).toMatchObject({ available: before!.available, held: before!.held });
    const payment = await ctx.platform.getPayment(placed.orderId);
    expect(payment?.status).not.toBe('CAPTURED');

    const events = await executionHistory(ctx.sfn, final.executionArn!);
    expect(statesEntered(events)).toEqual(['ReserveInventory', 'ProcessPayment', 'ReleaseInventoryAfterPaymentDeclined', 'MarkOrderFailed', 'OrderFailed']);
    const failed = events.find((event) => event.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('PaymentDeclined');
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
  });
});

describe('an item out of stock', () => {
  it('fails with OUT_OF_STOCK and charges nothing', async () => {
    const placed = await ctx.platform.placeOrder(order(unique('oos'), [{ sku: scarce, quantity: 2 }], 'tok_visa'));

    const final = await ctx.platform.waitForOutcome(placed.orderId);
    expect(final).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(await ctx.platform.getPayment(placed.orderId)).toBeUndefined();
    expect(await ctx.platform.getStock(scarce)).toMatchObject({ available: 1, held: 0 });

    const events = await executionHistory(ctx.sfn, final.executionArn!);
    expect(statesEntered(events)).toEqual(['ReserveInventory', 'MarkOrderFailed', 'OrderFailed']);
  });
});

describe('the executions', () => {
  it('are listed by ListExecutions with their outcome', async () => {
    const placed = await ctx.platform.placeOrder(order(unique('listed'), [{ sku, quantity: 1 }], 'tok_visa'));
    const final = await ctx.platform.waitForOutcome(placed.orderId);
    const stateMachineArn = final.executionArn!.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');

    const succeeded = await ctx.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 1000 }));
    expect(succeeded.executions?.map((execution) => execution.name)).toContain(placed.orderId);
    const failed = await ctx.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'FAILED', maxResults: 1000 }));
    expect(failed.executions?.map((execution) => execution.name)).not.toContain(placed.orderId);
  });
});
