import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../../tools/local-stack/src/aws-clients';
import { PlatformClient } from '../../tools/local-stack/src/client/platform-client';
import { requireEndpoints, type StackEndpoints } from '../../tools/local-stack/src/endpoints';

/** What every end-to-end test talks to: the running stack's endpoints and clients. */
export interface E2eContext {
  endpoints: StackEndpoints;
  platform: PlatformClient;
  sfn: SFNClient;
  sqs: SQSClient;
  close(): void;
}

export function e2eContext(): E2eContext {
  const endpoints = requireEndpoints();
  const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, endpoints.region));
  const sqs = new SQSClient(localClientConfig(endpoints.sqs, endpoints.region));
  return {
    endpoints,
    platform: new PlatformClient(endpoints),
    sfn,
    sqs,
    close: () => {
      sfn.destroy();
      sqs.destroy();
    },
  };
}

/** Names that no earlier run used, so that tests never see each other's data. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** An OrderConfirmed event as the order service publishes it, for tests that publish to the topic themselves. */
export function orderConfirmedEvent(orderId: string, of: { customerId: string; sku: string; unitPrice: number }): string {
  return JSON.stringify({
    eventId: `OrderConfirmed:${orderId}`,
    eventType: 'OrderConfirmed',
    source: 'order',
    occurredAt: new Date().toISOString(),
    data: {
      orderId,
      customerId: of.customerId,
      email: `${of.customerId}@example.com`,
      lines: [{ sku: of.sku, quantity: 1, unitPrice: of.unitPrice, currency: 'EUR' }],
      total: { amount: of.unitPrice, currency: 'EUR' },
    },
  });
}
