/**
 * `npm run demo` (with `npm start` running): seeds stock, places three orders — one that goes
 * through, one whose card is declined, one for an item out of stock — and prints each order's
 * final status and the path its saga took through the state machine.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { localClientConfig } from './aws-clients';
import { PlatformClient, type Order, type PlaceOrderInput } from './client/platform-client';
import { executionHistory, executionOutcome, statesEntered } from './client/saga-path';
import { requireEndpoints } from './endpoints';
import { colors } from './log';

const IN_STOCK = 'DEMO-MUG';
const SOLD_OUT = 'DEMO-POSTER';

interface Scenario {
  title: string;
  order: PlaceOrderInput;
}

const customer = (id: string) => ({ customerId: `demo-${id}`, email: `${id}@example.com` });

const SCENARIOS: Scenario[] = [
  { title: 'paid and shipped', order: { ...customer('ada'), items: [{ sku: IN_STOCK, quantity: 2 }], paymentToken: 'tok_visa' } },
  { title: 'card declined', order: { ...customer('bob'), items: [{ sku: IN_STOCK, quantity: 1 }], paymentToken: 'tok_decline' } },
  { title: 'out of stock', order: { ...customer('cy'), items: [{ sku: SOLD_OUT, quantity: 1 }], paymentToken: 'tok_visa' } },
];

function describe(order: Order): string {
  const status = order.status === 'CONFIRMED' ? colors.green(order.status) : order.status === 'FAILED' ? colors.red(order.status) : colors.yellow(order.status);
  const total = order.total ? `  total ${(order.total.amount / 100).toFixed(2)} ${order.total.currency}` : '';
  return `${status}${order.failureReason ? ` (${order.failureReason})` : ''}${total}`;
}

async function main(): Promise<void> {
  const endpoints = requireEndpoints();
  const client = new PlatformClient(endpoints);
  const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, endpoints.region));

  await client.putStock(IN_STOCK, { price: 1250, currency: 'EUR', available: 100 });
  await client.putStock(SOLD_OUT, { price: 2900, currency: 'EUR', available: 0 });
  console.log(colors.dim(`  stock: ${IN_STOCK} 100 × 12.50 EUR, ${SOLD_OUT} none left\n`));

  const placed = await Promise.all(SCENARIOS.map(async (scenario) => ({ scenario, order: await client.placeOrder(scenario.order) })));
  for (const { scenario, order } of placed) {
    const final = await client.waitForOutcome(order.orderId, 60_000);
    console.log(`  ${colors.bold(scenario.title.padEnd(18))} ${order.orderId}  ${describe(final)}`);
    if (final.executionArn) {
      const events = await executionHistory(sfn, final.executionArn);
      console.log(colors.dim(`    saga: ${statesEntered(events).join(' → ')}  [${executionOutcome(events)}]`));
    }
    const payment = await client.getPayment(order.orderId);
    const stock = await client.getStock(scenario.order.items[0]!.sku);
    const notifications = await client.listNotifications(order.orderId);
    console.log(
      colors.dim(
        `    payment: ${payment ? payment.status : 'none'}   stock ${stock?.sku}: available ${stock?.available}, held ${stock?.held}   notifications: ${notifications.map((n) => n.eventType).join(', ') || 'none yet'}`,
      ),
    );
  }
  sfn.destroy();
}

main().catch((error: Error) => {
  console.error(colors.red(`  ✗ ${error.message}`));
  process.exit(1);
});
