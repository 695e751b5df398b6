import * as z from 'zod/mini';
import { Money, schema } from '@order-platform/shared';
import { PAYMENT_STATUSES } from './domain/payment';

/** GET /payments/{orderId}: path parameters. */
export const PaymentPathParameters = /* @__PURE__ */ schema(() => z.strictObject({
  orderId: z.string().check(
    z.minLength(1, 'orderId must not be empty'),
    z.maxLength(64, 'orderId must be at most 64 characters'),
    // As every order id (ord_...) is, and as GET /notifications takes it: never unicode or controls.
    z.regex(/^[A-Za-z0-9._:-]*$/, 'orderId may contain only letters, digits and . _ : -'),
  ),
}));
export type PaymentPathParameters = z.infer<typeof PaymentPathParameters>;

/** GET /payments/{orderId}: 200 body. */
export const PaymentResponse = /* @__PURE__ */ schema(() => z.object({
  orderId: z.string(),
  paymentId: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  // Descriptions (for the OpenAPI document) registered as classic's `.describe()` does, on the new wrapper.
  amount: z.optional(Money).register(z.globalRegistry, { description: 'Absent when VOIDED: the order was compensated before anything was charged' }),
  declineCode: z.optional(z.string()).register(z.globalRegistry, { description: 'Present when DECLINED' }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}));
export type PaymentResponse = z.infer<typeof PaymentResponse>;
