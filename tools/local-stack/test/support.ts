import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../src/aws-clients';
import { startFauxqs, type RunningFauxqs } from '../src/components/fauxqs';
import { silentLogger } from '../src/log';
import type { FunctionInvoker, InvocationOutcome } from '../src/pollers/function-invoker';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const logger = silentLogger;

/** fauxqs in this process on a free loopback port, with the stack's account translation. */
export async function fauxqs(): Promise<{ server: RunningFauxqs; sqs: SQSClient; sns: SNSClient; close(): Promise<void> }> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', region: REGION, accountId: ACCOUNT });
  const sqs = new SQSClient(localClientConfig(server.endpoint, REGION));
  const sns = new SNSClient(localClientConfig(server.endpoint, REGION));
  return {
    server,
    sqs,
    sns,
    close: async () => {
      sqs.destroy();
      sns.destroy();
      await server.stop();
    },
  };
}

export interface ScriptedFunction {
  invoke: FunctionInvoker;
  /** Every event it was given, in order. */
  events: unknown[];
}

/** A stand-in for a function behind serverless-offline: answers each event with `respond`. */
export function scriptedFunction(respond: (event: unknown, call: number) => InvocationOutcome | Promise<InvocationOutcome>): ScriptedFunction {
  const events: unknown[] = [];
  return {
    events,
    invoke: async (_name, event) => {
      events.push(event);
      return respond(event, events.length);
    },
  };
}

/** Polls until `check` holds (no timing is asserted: the timeout only bounds a broken test). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
