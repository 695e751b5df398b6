import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { FAULTS_FILE_NAME, FAULTS_LOG_NAME } from '../../../shared/src/lambda/fault-injection';
import { endpointsFilePath, resolveTarget, type Target } from '../../../ops/src/target';
import { localClientConfig } from '../../../tools/local-stack/src/aws-clients';
import { devCredentials, PlatformClient, type Credentials } from '../../../tools/local-stack/src/client/platform-client';
import { readEndpoints, requireEndpoints, type StackEndpoints } from '../../../tools/local-stack/src/endpoints';

/** The one wait helper of the end-to-end tests: polls `read` until `done` accepts its value; the last value when the time is up. */
export { eventually } from '../../../tools/local-stack/src/client/platform-client';

/**
 * What every end-to-end test talks to: the running stack's endpoints, its data folder (the faults
 * file lives there), tokens, clients, and the ops target that `npm run check:invariants` reads.
 */
export interface E2eContext {
  endpoints: StackEndpoints;
  /** The stack's data folder (`.local/` or LOCAL_DATA_DIR). */
  dataDir: string;
  faultsFile: string;
  faultsLog: string;
  credentials: Credentials;
  target: Target;
  platform: PlatformClient;
  sfn: SFNClient;
  sqs: SQSClient;
  close(): void;
}

export function e2eContext(): E2eContext {
  const endpoints = requireEndpoints();
  // The endpoints file sits in the stack's data folder, whichever it is.
  const endpointsFile = process.env.LOCAL_ENDPOINTS_FILE ? path.resolve(process.env.LOCAL_ENDPOINTS_FILE) : endpointsFilePath();
  if (!readEndpoints(endpointsFile)) throw new Error(`no endpoints at ${endpointsFile}`);
  const dataDir = path.dirname(endpointsFile);
  const credentials = devCredentials(path.join(dataDir, 'auth'));
  const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, endpoints.region));
  const sqs = new SQSClient(localClientConfig(endpoints.sqs, endpoints.region));
  return {
    endpoints,
    dataDir,
    faultsFile: path.join(dataDir, FAULTS_FILE_NAME),
    faultsLog: path.join(dataDir, FAULTS_LOG_NAME),
    credentials,
    target: resolveTarget({ stage: 'local', endpointsFile }),
    platform: new PlatformClient(endpoints, credentials),
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
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
