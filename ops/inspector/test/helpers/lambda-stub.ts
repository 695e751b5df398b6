import { createServer, type IncomingMessage } from 'node:http';
import { failureReasonOf, SagaState } from '../../../../services/order/src/domain/saga-steps';
import { listen, type OrderStore, type RunningStub } from './order-api-stub';

/**
 * A Lambda Invoke endpoint (POST /2015-03-31/functions/{name}/invocations, the protocol the
 * Step Functions server's invoker speaks) standing in for the seven saga step functions. Each
 * order follows a scenario: which step fails, how, and how many times.
 */
export type Step = 'reserve' | 'charge' | 'ship' | 'confirmOrder' | 'markOrderFailed' | 'release' | 'refund';

export interface StepFailure {
  errorType: string;
  errorMessage?: string;
  /** Fail only the first n calls for this order (then succeed); default: every call. */
  times?: number;
}

export interface StepBehaviour {
  fail?: StepFailure;
  /** Resolve the call only when this promise does (to keep an execution RUNNING). */
  hold?: Promise<void>;
  delayMs?: number;
}

export type Scenario = Partial<Record<Step, StepBehaviour>>;

export interface LambdaStub extends RunningStub {
  /** Sets or replaces the scenario of an order (a test "removes the cause" by replacing it). */
  scenario(orderId: string, scenario: Scenario): void;
  calls(orderId: string): Step[];
}

type Payload = Record<string, unknown>;

export async function startLambdaStub(orders: OrderStore): Promise<LambdaStub> {
  const scenarios = new Map<string, Scenario>();
  const calls = new Map<string, Step[]>();

  const server = createServer((req, res) => {
    void (async () => {
      const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations/u.exec(req.url ?? '')?.[1];
      const step = name ? (decodeURIComponent(name).split('-').at(-1) as Step) : undefined;
      const payload = JSON.parse((await readBody(req)) || '{}') as Payload;
      const orderId = String(payload['orderId'] ?? '');
      const seen = [...(calls.get(orderId) ?? []), step!];
      calls.set(orderId, seen);
      const behaviour = (step && scenarios.get(orderId)?.[step]) ?? {};
      if (behaviour.hold) await behaviour.hold;
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      const attempt = seen.filter((s) => s === step).length;
      const failure = behaviour.fail;
      if (failure && (failure.times === undefined || attempt <= failure.times)) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        res.end(JSON.stringify({ errorType: failure.errorType, errorMessage: failure.errorMessage ?? failure.errorType, trace: [] }));
        return;
      }
      const result = step ? succeed(step, payload, orders) : { message: 'unknown function' };
      res.writeHead(step ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    })();
  });
  const running = await listen(server);
  return {
    ...running,
    scenario: (orderId, scenario) => scenarios.set(orderId, scenario),
    calls: (orderId) => calls.get(orderId) ?? [],
  };
}

/** What each step returns on success, in the shapes of shared/src/contracts/saga.ts. */
function succeed(step: Step, payload: Payload, orders: OrderStore): unknown {
  const orderId = String(payload['orderId']);
  const now = new Date().toISOString();
  switch (step) {
    case 'reserve': {
      const items = (payload['items'] as Array<{ sku: string; quantity: number }>) ?? [];
      const lines = items.map((i) => ({ ...i, unitPrice: 1250, currency: 'EUR' }));
      return { lines, total: { amount: lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0), currency: 'EUR' } };
    }
    case 'charge':
      return { paymentId: `pay_${orderId}`, status: 'CAPTURED', amount: payload['amount'] };
    case 'ship':
      return { shipmentId: `shp_${orderId}`, shippedAt: now };
    case 'confirmOrder':
      orders.update(orderId, { status: 'CONFIRMED' });
      return { orderId, status: 'CONFIRMED', confirmedAt: now };
    case 'markOrderFailed': {
      const reason = failureReason((payload['saga'] ?? {}) as Payload);
      orders.update(orderId, { status: 'FAILED', failureReason: reason });
      return { orderId, status: 'FAILED', failureReason: reason, failedAt: now };
    }
    case 'release':
      return { status: 'RELEASED' };
    case 'refund':
      return { status: 'REFUNDED' };
  }
}

/** The order service's own rule: the caught error decides the reason. */
function failureReason(saga: Payload): string {
  return failureReasonOf(SagaState.parse(saga));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
