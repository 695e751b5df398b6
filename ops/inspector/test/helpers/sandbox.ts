import { writeFileSync } from 'node:fs';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startServer, type RunningServer } from '@order-platform/stepfunctions-local';
import { type LambdaStub, type Scenario, startLambdaStub } from './lambda-stub';
import { OrderStore, type RunningStub, startOrderApiStub } from './order-api-stub';
import { loadSagaDefinition } from './saga-definition';

/**
 * A self-contained saga world for the CLI and browser tests, without `npm start`: the project's
 * Step Functions server in-process, the real saga definition, a Lambda Invoke stub for the steps
 * and an order API stub. Orders run through scenarios (success, declined, compensated, ...).
 */
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const STATE_MACHINE = 'order-local-saga';

export interface Sandbox {
  sfnUrl: string;
  orderApiUrl: string;
  stateMachineArn: string;
  lambda: LambdaStub;
  orders: OrderStore;
  /** Writes an endpoints.json like `npm start` does, for the inspector to find everything. */
  writeEndpointsFile(file: string): void;
  /** Stores the order (PENDING) and starts its saga, named by orderId. */
  placeOrder(orderId: string, scenario?: Scenario, customerId?: string): Promise<string>;
  /** Waits until the execution leaves RUNNING (or reaches one of `statuses`). */
  waitFor(orderId: string, statuses?: string[], timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const orders = new OrderStore();
  const stubs: RunningStub[] = [];
  let sfn: RunningServer | undefined;
  try {
    const orderApi = await startOrderApiStub(orders);
    stubs.push(orderApi);
    const lambda = await startLambdaStub(orders);
    stubs.push(lambda);
    sfn = await startServer({ port: 0, region: REGION, accountId: ACCOUNT, lambdaEndpoint: lambda.url, log: () => {} });
    const client = new SFNClient({ region: REGION, endpoint: sfn.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const created = await client.send(
      new CreateStateMachineCommand({
        name: STATE_MACHINE,
        definition: loadSagaDefinition({ stage: 'local', region: REGION, accountId: ACCOUNT, maxAttempts: 2 }),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/order-local-saga`,
        type: 'STANDARD',
      }),
    );
    const stateMachineArn = created.stateMachineArn!;
    const executionArn = (orderId: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE}:${orderId}`;
    const server = sfn;

    return {
      sfnUrl: server.url,
      orderApiUrl: orderApi.url,
      stateMachineArn,
      lambda,
      orders,
      writeEndpointsFile: (file) =>
        writeFileSync(file, JSON.stringify({ stepFunctions: server.url, orderApi: orderApi.url, region: REGION, stage: 'local' }, null, 2)),
      async placeOrder(orderId, scenario = {}, customerId = 'cust-1') {
        lambda.scenario(orderId, scenario);
        orders.put({ orderId, customerId, status: 'PENDING' });
        const input = { orderId, customerId, email: `${customerId}@example.com`, items: [{ sku: 'SKU-1', quantity: 2 }], paymentToken: 'tok_visa' };
        const out = await client.send(new StartExecutionCommand({ stateMachineArn, name: orderId, input: JSON.stringify(input) }));
        return out.executionArn!;
      },
      async waitFor(orderId, statuses, timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const { status = 'RUNNING' } = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(orderId) }));
          if (statuses ? statuses.includes(status) : status !== 'RUNNING') return status;
          if (Date.now() > deadline) throw new Error(`${orderId} is still ${status} after ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async close() {
        client.destroy();
        await server.close();
        await Promise.all(stubs.map((s) => s.close()));
      },
    };
  } catch (error) {
    await sfn?.close();
    await Promise.all(stubs.map((s) => s.close()));
    throw error;
  }
}

/** The scenarios the tests and the screenshot use. */
export const SCENARIOS = {
  success: {},
  declined: { charge: { fail: { errorType: 'PaymentDeclined', errorMessage: 'Card declined: insufficient funds' } } },
  compensated: { ship: { fail: { errorType: 'ShippingFailed', errorMessage: 'Carrier rejected the parcel: address unknown' } } },
  /** A transient payment error retried once, then success. */
  retried: { charge: { fail: { errorType: 'TransientError', errorMessage: 'Payment provider timed out', times: 1 } } },
  /** ConfirmOrder keeps failing: retries run out, no Catch, the execution FAILS for ops to redrive. */
  stuck: { confirmOrder: { fail: { errorType: 'TransientError', errorMessage: 'orders table is throttling' } } },
} satisfies Record<string, Scenario>;
