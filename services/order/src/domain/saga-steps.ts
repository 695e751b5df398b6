import * as z from 'zod/mini';
import {
  FailureReason,
  isTransientErrorName,
  ProcessPaymentOutput,
  ReserveInventoryOutput,
  SagaErrors,
  schema,
  ShipOrderOutput,
} from '@order-platform/shared';

/**
 * Contracts of the order service's own saga Tasks (ConfirmOrder, MarkOrderFailed) and the pure
 * rules they apply. The state machine builds these inputs with Parameters (see saga.asl.yml).
 */

const StepBase = /* @__PURE__ */ schema(() => z.object({ orderId: z.string().check(z.minLength(1), z.maxLength(64)), executionArn: z.optional(z.string()) }));

/** ConfirmOrder: the results of the three forward steps, recorded on the order. */
export const ConfirmOrderInput = /* @__PURE__ */ schema(() => z.extend(StepBase, {
  reservation: ReserveInventoryOutput,
  payment: ProcessPaymentOutput,
  shipment: ShipOrderOutput,
}));
export type ConfirmOrderInput = z.infer<typeof ConfirmOrderInput>;

export const ConfirmOrderOutput = /* @__PURE__ */ schema(() => z.object({
  orderId: z.string(),
  status: z.literal('CONFIRMED'),
  confirmedAt: z.iso.datetime(),
}));
export type ConfirmOrderOutput = z.infer<typeof ConfirmOrderOutput>;

/** What a Catch with ResultPath stores: the error name and its cause (a JSON string from Lambda). */
export const CaughtError = /* @__PURE__ */ schema(() => z.object({ Error: z.string(), Cause: z.optional(z.string()) }));
export type CaughtError = z.infer<typeof CaughtError>;

/** The saga state as MarkOrderFailed sees it (`saga.$: $`): step results and at most one caught error. */
export const SagaState = /* @__PURE__ */ schema(() => z.object({
  reservation: z.optional(ReserveInventoryOutput),
  payment: z.optional(ProcessPaymentOutput),
  shipment: z.optional(ShipOrderOutput),
  reserveError: z.optional(CaughtError),
  paymentError: z.optional(CaughtError),
  shippingError: z.optional(CaughtError),
}));
export type SagaState = z.infer<typeof SagaState>;

export const MarkOrderFailedInput = /* @__PURE__ */ schema(() => z.extend(StepBase, { saga: SagaState }));
export type MarkOrderFailedInput = z.infer<typeof MarkOrderFailedInput>;

export const MarkOrderFailedOutput = /* @__PURE__ */ schema(() => z.object({
  orderId: z.string(),
  status: z.literal('FAILED'),
  failureReason: FailureReason,
  failedAt: z.iso.datetime(),
}));
export type MarkOrderFailedOutput = z.infer<typeof MarkOrderFailedOutput>;

/** MarkOrderFailed was reached with no caught error in the state: a defect in the definition. */
export class NoSagaError extends Error {
  override readonly name = 'NoSagaError';
}

/**
 * Why the order failed, from the step whose error the saga caught: the step's business refusal,
 * `<STEP>_UNAVAILABLE` when its transient errors outlasted the retries, INTERNAL_ERROR for any
 * other error (a defect). The saga stops at its first failing step, so at most one error is
 * present; should several be, the latest step wins.
 */
export function failureReasonOf(saga: SagaState): FailureReason {
  if (saga.shippingError) return reasonFor(saga.shippingError, SagaErrors.ShippingFailed, 'SHIPPING_FAILED', 'SHIPPING_UNAVAILABLE');
  if (saga.paymentError) return reasonFor(saga.paymentError, SagaErrors.PaymentDeclined, 'PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE');
  if (saga.reserveError) return reasonFor(saga.reserveError, SagaErrors.OutOfStock, 'OUT_OF_STOCK', 'INVENTORY_UNAVAILABLE');
  throw new NoSagaError('MarkOrderFailed received a saga state without reserveError, paymentError or shippingError');
}

function reasonFor(caught: CaughtError, refusal: string, refused: FailureReason, unavailable: FailureReason): FailureReason {
  if (caught.Error === refusal) return refused;
  return isTransientErrorName(caught.Error) ? unavailable : 'INTERNAL_ERROR';
}
