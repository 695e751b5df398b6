import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SERVICE_NAMES, type ServiceName, type StackConfig } from './config';

/**
 * `.local/endpoints.json`: where everything of the running stack listens. Written when the stack
 * is ready, deleted when it stops; the demo, the end-to-end tests and the bench read it.
 */
export interface StackEndpoints {
  orderApi: string;
  inventoryApi: string;
  paymentApi: string;
  notificationApi: string;
  stepFunctions: string;
  sns: string;
  sqs: string;
  dynamodb: string;
  region: string;
  accountId: string;
  /** serverless-offline's Lambda Invoke endpoint per service. */
  lambda: Record<ServiceName, string>;
  /** The stack's admin API: /health and /deliveries (the last events given to each function). */
  admin: string;
  /** The saga inspector's web page: executions, their graphs, stop and redrive. */
  inspector: string;
  pid: number;
  startedAt: string;
}

export function buildEndpoints(config: StackConfig, pid: number, startedAt: Date): StackEndpoints {
  const url = (port: number) => `http://${config.host}:${port}`;
  const { ports } = config;
  const lambda = Object.fromEntries(SERVICE_NAMES.map((name) => [name, url(ports.services[name].lambda)])) as Record<ServiceName, string>;
  return {
    orderApi: url(ports.services.order.http),
    inventoryApi: url(ports.services.inventory.http),
    paymentApi: url(ports.services.payment.http),
    notificationApi: url(ports.services.notification.http),
    stepFunctions: url(ports.stepFunctions),
    sns: url(ports.fauxqs),
    sqs: url(ports.fauxqs),
    dynamodb: url(ports.dynamodb),
    region: config.region,
    accountId: config.accountId,
    lambda,
    admin: url(ports.admin),
    inspector: url(ports.inspector),
    pid,
    startedAt: startedAt.toISOString(),
  };
}

export function writeEndpoints(file: string, endpoints: StackEndpoints): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
}

export function removeEndpoints(file: string): void {
  rmSync(file, { force: true });
}

export const DEFAULT_ENDPOINTS_FILE = path.join(REPO_ROOT, '.local', 'endpoints.json');

/** The running stack's endpoints, or undefined when no stack is running. */
export function readEndpoints(file = process.env.LOCAL_ENDPOINTS_FILE || DEFAULT_ENDPOINTS_FILE): StackEndpoints | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackEndpoints;
  } catch {
    return undefined;
  }
}

/** For the demo and the bench: the endpoints, or an error saying to run `npm start` first. */
export function requireEndpoints(file?: string): StackEndpoints {
  const endpoints = readEndpoints(file);
  if (!endpoints) throw new Error('No local stack is running (.local/endpoints.json is missing): start it with `npm start` in another terminal.');
  return endpoints;
}
