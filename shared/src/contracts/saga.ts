import * as z from 'zod/mini';
import { schema } from './schema';
import { Money, PricedLine } from './events';

/**
 * The contract between the order saga (owned by the order service) and the steps that other
 * services implement. The state machine builds each step's input with Parameters from the saga
 * state; each step returns the output below, which the state machine stores with ResultPath.
 * Every step input carries the orderId (the idempotency key of every step) and the execution ARN
 * (`$$.Execution.Id`, for log correlation).
 */

const OrderId = /* @__PURE__ */ schema(() => z.string().check(z.minLength(1), z.maxLength(64)));
const StepBase = /* @__PURE__ */ schema(() => z.object({ orderId: OrderId, executionArn: z.optional(z.string()) }));

export const OrderLine = /* @__PURE__ */ schema(() => z.object({
  sku: z.string().check(z.minLength(1), z.maxLength(64)),
  quantity: z.number().check(z.int(), z.positive()),
}));
export type OrderLine = z.infer<typeof OrderLine>;

/** Input of the whole execution (StartExecution input); the execution name is the orderId. */
export const SagaInput = /* @__PURE__ */ schema(() => z.object({
  orderId: OrderId,
  customerId: z.string(),
  email: z.string(),
  items: z.array(OrderLine).check(z.minLength(1)),
  paymentToken: z.string(),
}));
export type SagaInput = z.infer<typeof SagaInput>;

// inventory-<stage>-reserve: all lines or none, idempotent per orderId. Throws OutOfStock.
export const ReserveInventoryInput = /* @__PURE__ */ schema(() => z.extend(StepBase, { items: z.array(OrderLine).check(z.minLength(1)) }));
export const ReserveInventoryOutput = /* @__PURE__ */ schema(() => z.object({ lines: z.array(PricedLine), total: Money }));
export type ReserveInventoryInput = z.infer<typeof ReserveInventoryInput>;
export type ReserveInventoryOutput = z.infer<typeof ReserveInventoryOutput>;

// inventory-<stage>-release (compensation): idempotent, a no-op when nothing is reserved.
export const ReleaseInventoryInput = /* @__PURE__ */ schema(() => StepBase);
export const ReleaseInventoryOutput = /* @__PURE__ */ schema(() => z.object({
  status: z.enum(['RELEASED', 'ALREADY_RELEASED', 'NOTHING_RESERVED']),
}));
export type ReleaseInventoryOutput = z.infer<typeof ReleaseInventoryOutput>;

// inventory-<stage>-ship: commits the reservation. Throws ShippingFailed.
export const ShipOrderInput = /* @__PURE__ */ schema(() => StepBase);
export const ShipOrderOutput = /* @__PURE__ */ schema(() => z.object({ shipmentId: z.string(), shippedAt: z.iso.datetime() }));
export type ShipOrderOutput = z.infer<typeof ShipOrderOutput>;

// payment-<stage>-charge: one payment per orderId. Throws PaymentDeclined; tok_error is transient.
export const ProcessPaymentInput = /* @__PURE__ */ schema(() => z.extend(StepBase, {
  amount: Money,
  paymentToken: z.string().check(z.minLength(1)),
  // Kept on the payment so that its events can reach the customer without another lookup.
  customerId: z.string(),
  email: z.string(),
}));
export const ProcessPaymentOutput = /* @__PURE__ */ schema(() => z.object({ paymentId: z.string(), status: z.literal('CAPTURED'), amount: Money }));
export type ProcessPaymentInput = z.infer<typeof ProcessPaymentInput>;
export type ProcessPaymentOutput = z.infer<typeof ProcessPaymentOutput>;

// payment-<stage>-refund (compensation): idempotent, a no-op when nothing was captured.
export const RefundPaymentInput = /* @__PURE__ */ schema(() => StepBase);
export const RefundPaymentOutput = /* @__PURE__ */ schema(() => z.object({ status: z.enum(['REFUNDED', 'ALREADY_REFUNDED', 'NOTHING_TO_REFUND']) }));
export type RefundPaymentOutput = z.infer<typeof RefundPaymentOutput>;

/** Business error names that steps throw (error.name), matched by the saga's Catch. */
export const SagaErrors = {
  OutOfStock: 'OutOfStock',
  PaymentDeclined: 'PaymentDeclined',
  ShippingFailed: 'ShippingFailed',
} as const;
