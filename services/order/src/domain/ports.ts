import type { SagaInput } from '@order-platform/shared';
import type { PageKey } from './cursor';
import type { OrderRecord } from './order';
import type { FailedOutcome, OrderOutcome } from './transitions';

export type CreateResult = { created: true } | { created: false; existing: OrderRecord };
export type LeavePendingResult = { updated: true; order: OrderRecord } | { updated: false; current: OrderRecord | undefined };
export interface QueryPage {
  orders: OrderRecord[];
  lastEvaluatedKey: PageKey | undefined;
}

/** The orders, by orderId. Every write is conditional, so a retried call can never apply twice. */
export interface OrderRepository {
  /** Inserts the order unless its id exists; then answers with the stored one instead. */
  create(order: OrderRecord): Promise<CreateResult>;
  get(orderId: string, consistentRead?: boolean): Promise<OrderRecord | undefined>;
  /** One page of a customer's orders, newest first. */
  queryByCustomer(customerId: string, limit: number, startAfter: PageKey | undefined): Promise<QueryPage>;
  /** PENDING -> CONFIRMED with the saga's outcome, only if the order is still PENDING. */
  confirm(orderId: string, outcome: OrderOutcome, now: string): Promise<LeavePendingResult>;
  /** PENDING -> FAILED with the reason, only if the order is still PENDING. */
  markFailed(orderId: string, outcome: FailedOutcome, now: string): Promise<LeavePendingResult>;
}

export type StartResult = 'STARTED' | 'ALREADY_STARTED';

/** Starts an order's saga, named by its orderId (a STANDARD workflow's dedup key). */
export interface SagaStarter {
  start(input: SagaInput): Promise<StartResult>;
}
