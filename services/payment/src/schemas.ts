import * as z from 'zod';
import { Money } from '@order-platform/shared';
import { PAYMENT_STATUSES } from './domain/payment';

/** GET /payments/{orderId}: path parameters. */
export const PaymentPathParameters = z.strictObject({
  orderId: z
    .string()
    .min(1, 'orderId must not be empty')
    .max(64, 'orderId must be at most 64 characters')
    // As every order id (ord_...) is, and as GET /notifications takes it: never unicode or controls.
    .regex(/^[A-Za-z0-9._:-]*$/, 'orderId may contain only letters, digits and . _ : -'),
});
export type PaymentPathParameters = z.infer<typeof PaymentPathParameters>;

/** GET /payments/{orderId}: 200 body. */
export const PaymentResponse = z.object({
  orderId: z.string(),
  paymentId: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount: Money.optional().describe('Absent when VOIDED: the order was compensated before anything was charged'),
  declineCode: z.string().optional().describe('Present when DECLINED'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PaymentResponse = z.infer<typeof PaymentResponse>;
