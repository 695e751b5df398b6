import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { executionHistory } from '../../../../ops/inspector/src/adapters/step-functions';
import { startServer, type RunningServer, type ServerOptions } from '../../src';
import { LambdaStub } from './lambda-stub';
import { ACCOUNT, REGION } from './saga';

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/order-saga-role`;

/** The server on an ephemeral port plus an unmodified SDK client pointed at it. */
export async function startLocal(options: ServerOptions = {}): Promise<{ server: RunningServer; sfn: SFNClient; close(): Promise<void> }> {
  const server = await startServer({ port: 0, region: REGION, accountId: ACCOUNT, log: () => undefined, ...options });
  const sfn = client(server.url);
  return {
    server,
    sfn,
    close: async () => {
      sfn.destroy();
      await server.close();
    },
  };
}

/**
 * The server with a Lambda stub behind its Lambda Invoke endpoint, and `syncClient` for
 * StartSyncExecution (the SDK's host prefix `sync-` disabled, as locally it must be).
 */
export async function startLocalWithStub(): Promise<{ stub: LambdaStub; server: RunningServer; sfn: SFNClient; syncClient: SFNClient; close(): Promise<void> }> {
  const stub = await LambdaStub.start();
  const local = await startLocal({ lambdaEndpoint: stub.url });
  const syncClient = client(local.server.url, { disableHostPrefix: true });
  return {
    stub,
    server: local.server,
    sfn: local.sfn,
    syncClient,
    close: async () => {
      syncClient.destroy();
      await local.close();
      await stub.close();
    },
  };
}

export function client(endpoint: string, extra: { disableHostPrefix?: boolean } = {}): SFNClient {
  return new SFNClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...extra,
  });
}

export async function createMachine(sfn: SFNClient, name: string, definition: string | object, type?: 'STANDARD' | 'EXPRESS'): Promise<string> {
  const out = await sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      roleArn: ROLE_ARN,
      type,
    }),
  );
  if (!out.stateMachineArn) throw new Error('no stateMachineArn');
  return out.stateMachineArn;
}

/** Polls DescribeExecution until the status is not RUNNING (generous timeout: the machine is shared and slow). */
export async function waitForEnd(sfn: SFNClient, executionArn: string, timeoutMs = 20_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) throw new Error(`execution ${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls until a predicate on the history holds. */
export async function waitForHistory(sfn: SFNClient, executionArn: string, done: (events: HistoryEvent[]) => boolean, timeoutMs = 20_000): Promise<HistoryEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await history(sfn, executionArn);
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`history of ${executionArn} never matched`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The full history, following nextToken, read the way the saga inspector reads it. */
export const history = executionHistory;

/** [id, previousEventId, type] triples: the skeleton asserted against AWS's documented sequences. */
export const skeleton = (events: HistoryEvent[]) => events.map((e) => [e.id, e.previousEventId, e.type]);

/** The state name of every StateEntered event, in order. */
export const enteredStates = (events: HistoryEvent[]) =>
  events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name);

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'sfn-local-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
