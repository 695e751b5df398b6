import type { OrderRecord } from '../../src/domain/order';
import type { CreateOrderBody } from '../../src/schemas';

export const NOW = '2025-01-02T03:04:05.678Z';
export const LATER = '2025-01-02T03:05:00.000Z';

/** A request body that names its customer (cust-1, the customer of the tests' access token). */
export function orderBody(overrides: Partial<CreateOrderBody> = {}): CreateOrderBody & { customerId: string } {
  return {
    customerId: 'cust-1',
    email: 'ada@example.com',
    items: [
      { sku: 'SKU-1', quantity: 2 },
      { sku: 'SKU-2', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    ...overrides,
  } as CreateOrderBody & { customerId: string };
}

export function orderRecord(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    orderId: 'ord_abc123',
    customerId: 'cust-1',
    email: 'ada@example.com',
    items: [
      { sku: 'SKU-1', quantity: 2 },
      { sku: 'SKU-2', quantity: 1 },
    ],
    paymentToken: 'tok_visa',
    status: 'PENDING',
    createdAt: NOW,
    updatedAt: NOW,
    requestHash: 'hash-1',
    ...overrides,
  };
}

export const RESERVATION = {
  lines: [
    { sku: 'SKU-1', quantity: 2, unitPrice: 1250, currency: 'EUR' },
    { sku: 'SKU-2', quantity: 1, unitPrice: 500, currency: 'EUR' },
  ],
  total: { amount: 3000, currency: 'EUR' },
};
export const PAYMENT = { paymentId: 'pay_1', status: 'CAPTURED' as const, amount: { amount: 3000, currency: 'EUR' } };
export const SHIPMENT = { shipmentId: 'shp_1', shippedAt: LATER };
export const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:order-local-saga:ord_abc123';
