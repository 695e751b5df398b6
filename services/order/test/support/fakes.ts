import type { SagaInput } from '@order-platform/shared';
import type { Principal } from '@order-platform/shared/auth';
import type { Catalogue } from '../../src/domain/catalogue';
import type { OrderRecord } from '../../src/domain/order';
import type { PlaceOrderObserver } from '../../src/domain/place-order';
import type { CreateResult, OrderRepository, SagaStarter, StartResult } from '../../src/domain/ports';

export const CUSTOMER: Principal = { customerId: 'cust-1', scopes: [], isAdmin: false };
export const OTHER_CUSTOMER: Principal = { customerId: 'cust-2', scopes: [], isAdmin: false };
export const ADMIN: Principal = { customerId: 'ops-1', scopes: ['order-platform/admin'], isAdmin: true };

/** The orders table's semantics for `create`: insert unless the orderId exists, then answer the stored order. */
export class InMemoryOrderRepository implements Pick<OrderRepository, 'create'> {
  readonly orders = new Map<string, OrderRecord>();
  /** When set, every create fails with it (a throttled or broken table). */
  failure: Error | undefined;

  async create(order: OrderRecord): Promise<CreateResult> {
    if (this.failure) throw this.failure;
    const existing = this.orders.get(order.orderId);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.orders.set(order.orderId, structuredClone(order));
    return { created: true };
  }
}

/** A catalogue that lacks exactly the SKUs it is given, and records what it was asked. */
export class FakeCatalogue implements Catalogue {
  readonly asked: string[][] = [];
  failure: Error | undefined;
  constructor(public lacks: string[] = []) {}

  async unknownSkus(skus: readonly string[]): Promise<string[]> {
    this.asked.push([...skus]);
    if (this.failure) throw this.failure;
    return skus.filter((sku) => this.lacks.includes(sku));
  }
}

/** Records every start, as the execution input Step Functions would receive (JSON). */
export class RecordingSagaStarter implements SagaStarter {
  readonly started: string[] = [];
  failure: Error | undefined;
  result: StartResult = 'STARTED';

  async start(input: SagaInput): Promise<StartResult> {
    if (this.failure) throw this.failure;
    this.started.push(JSON.stringify(input));
    return this.result;
  }
}

/** Records what placeOrder reports, one line per call. */
export function recordingObserver(): PlaceOrderObserver & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    identified: (orderId) => seen.push(`identified ${orderId}`),
    created: (order) => seen.push(`created ${order.orderId}`),
    replayed: (order) => seen.push(`replayed ${order.orderId}`),
    sagaStarted: (result) => seen.push(`saga ${result}`),
    sagaStartFailed: (order, error) => seen.push(`saga failed ${order.orderId}: ${(error as Error).message}`),
  };
}
