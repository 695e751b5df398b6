import { createHash } from 'node:crypto';
import type { Money, ProcessPaymentOutput } from '@order-platform/shared';

/**
 * One payment per order (the table's key is orderId). CAPTURED may become REFUNDED; every
 * other status is final. VOIDED is the tombstone a compensation leaves when nothing was
 * charged yet, so that a late duplicate charge can never capture after the order was undone.
 */
export const PAYMENT_STATUSES = ['CAPTURED', 'DECLINED', 'REFUNDED', 'VOIDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

interface PaymentBase {
  orderId: string;
  paymentId: string;
  createdAt: string;
  updatedAt: string;
}

interface ChargedFields {
  /** Integer minor units. */
  amount: number;
  currency: string;
  customerId: string;
  email: string;
}

export interface CapturedPayment extends PaymentBase, ChargedFields {
  status: 'CAPTURED';
  providerChargeId: string;
}

export interface RefundedPayment extends PaymentBase, ChargedFields {
  status: 'REFUNDED';
  providerChargeId: string;
  providerRefundId: string;
  refundedAt: string;
}

export interface DeclinedPayment extends PaymentBase, ChargedFields {
  status: 'DECLINED';
  declineCode: string;
}

export interface VoidedPayment extends PaymentBase {
  status: 'VOIDED';
}

export type Payment = CapturedPayment | RefundedPayment | DeclinedPayment | VoidedPayment;

/** Deterministic, so every attempt and every concurrent duplicate for an order names the same payment. */
export function paymentIdFor(orderId: string): string {
  return `pay_${createHash('sha256').update(`payment:${orderId}`).digest('hex').slice(0, 24)}`;
}

export interface ChargeDetails {
  orderId: string;
  amount: Money;
  customerId: string;
  email: string;
}

export function capturedPayment(details: ChargeDetails, providerChargeId: string, now: string): CapturedPayment {
  return {
    ...base(details.orderId, now),
    status: 'CAPTURED',
    amount: details.amount.amount,
    currency: details.amount.currency,
    customerId: details.customerId,
    email: details.email,
    providerChargeId,
  };
}

export function declinedPayment(details: ChargeDetails, declineCode: string, now: string): DeclinedPayment {
  return {
    ...base(details.orderId, now),
    status: 'DECLINED',
    amount: details.amount.amount,
    currency: details.amount.currency,
    customerId: details.customerId,
    email: details.email,
    declineCode,
  };
}

export function voidedPayment(orderId: string, now: string): VoidedPayment {
  return { ...base(orderId, now), status: 'VOIDED' };
}

export function refundedPayment(payment: CapturedPayment, providerRefundId: string, now: string): RefundedPayment {
  return { ...payment, status: 'REFUNDED', providerRefundId, refundedAt: now, updatedAt: now };
}

export function chargeOutput(payment: CapturedPayment): ProcessPaymentOutput {
  return {
    paymentId: payment.paymentId,
    status: 'CAPTURED',
    amount: { amount: payment.amount, currency: payment.currency },
  };
}

function base(orderId: string, now: string): PaymentBase {
  return { orderId, paymentId: paymentIdFor(orderId), createdAt: now, updatedAt: now };
}

/** What support and the invariant checks see of a payment (GET /payments/{orderId}). */
export interface PaymentView {
  orderId: string;
  paymentId: string;
  status: PaymentStatus;
  /** Absent on a VOIDED tombstone: nothing was ever charged. */
  amount?: Money;
  declineCode?: string;
  createdAt: string;
  updatedAt: string;
}

export function paymentView(payment: Payment): PaymentView {
  const view: PaymentView = {
    orderId: payment.orderId,
    paymentId: payment.paymentId,
    status: payment.status,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
  if (payment.status !== 'VOIDED') view.amount = { amount: payment.amount, currency: payment.currency };
  if (payment.status === 'DECLINED') view.declineCode = payment.declineCode;
  return view;
}
