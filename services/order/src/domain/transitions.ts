import type { FailureReason, Money, PricedLine } from '@order-platform/shared';
import type { OrderRecord } from './order';
import {
  failureReasonOf,
  type ConfirmOrderInput,
  type ConfirmOrderOutput,
  type MarkOrderFailedInput,
  type MarkOrderFailedOutput,
} from './saga-steps';

/**
 * The two ways an order leaves PENDING, each applied at most once (a conditional write on
 * status = PENDING). A repeated call finds the order already in the target state and answers
 * as the first call did; the opposite final state is a conflict that only a defect can cause.
 */

/** Facts the saga learnt that the order records when it leaves PENDING. */
export interface OrderOutcome {
  lines?: PricedLine[];
  total?: Money;
  paymentId?: string;
  shipmentId?: string;
  executionArn?: string;
}

export interface FailedOutcome extends OrderOutcome {
  failureReason: FailureReason;
}

export class OrderNotFound extends Error {
  override readonly name = 'OrderNotFound';
  constructor(orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

/** The order is already in the other final state (CONFIRMED vs FAILED). */
export class OrderStateConflict extends Error {
  override readonly name = 'OrderStateConflict';
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function confirmationOutcome(input: ConfirmOrderInput): OrderOutcome {
  return withoutUndefined({
    lines: input.reservation.lines,
    total: input.reservation.total,
    paymentId: input.payment.paymentId,
    shipmentId: input.shipment.shipmentId,
    executionArn: input.executionArn,
  });
}

/** The failure reason, plus whatever the saga had achieved before it failed (priced lines once reserved). */
export function failureOutcome(input: MarkOrderFailedInput): FailedOutcome {
  const { saga } = input;
  return withoutUndefined({
    failureReason: failureReasonOf(saga),
    lines: saga.reservation?.lines,
    total: saga.reservation?.total,
    paymentId: saga.payment?.paymentId,
    shipmentId: saga.shipment?.shipmentId,
    executionArn: input.executionArn,
  });
}

export function confirmationOf(order: OrderRecord): ConfirmOrderOutput {
  return { orderId: order.orderId, status: 'CONFIRMED', confirmedAt: order.updatedAt };
}

export function failureOf(order: OrderRecord): MarkOrderFailedOutput {
  if (order.failureReason === undefined) {
    throw new OrderStateConflict(`Order ${order.orderId} is FAILED without a failureReason`);
  }
  return { orderId: order.orderId, status: 'FAILED', failureReason: order.failureReason, failedAt: order.updatedAt };
}

/** The conditional PENDING -> CONFIRMED write was refused: decide from the order as it is now. */
export function afterRefusedConfirmation(orderId: string, current: OrderRecord | undefined): ConfirmOrderOutput {
  if (current === undefined) throw new OrderNotFound(orderId);
  if (current.status === 'CONFIRMED') return confirmationOf(current);
  throw new OrderStateConflict(`Order ${orderId} cannot be confirmed: it is ${current.status}`);
}

/** The conditional PENDING -> FAILED write was refused: decide from the order as it is now. */
export function afterRefusedFailure(orderId: string, current: OrderRecord | undefined): MarkOrderFailedOutput {
  if (current === undefined) throw new OrderNotFound(orderId);
  if (current.status === 'FAILED') return failureOf(current);
  throw new OrderStateConflict(`Order ${orderId} cannot be marked failed: it is ${current.status}`);
}
