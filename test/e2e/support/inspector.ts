import { execFile } from 'node:child_process';
import path from 'node:path';
import { DescribeExecutionCommand, type ExecutionStatus, type SFNClient } from '@aws-sdk/client-sfn';
import type { Order } from '../../../tools/local-stack/src/client/platform-client';
import { REPO_ROOT } from '../../../tools/local-stack/src/config';
import { eventually, unique, type E2eContext } from './context';
import { clearFaults, placeOrder, setFaults } from './guarantees';

/**
 * What the saga inspector's end-to-end tests share: the real CLI as a child process pointed at the
 * running stack, orders placed through the order API and waited for until their saga ended, and
 * an execution that fails for a cause the test then removes (the faults file).
 */

export const CLI = path.join(REPO_ROOT, 'ops', 'inspector', 'src', 'cli.ts');
export const STATE_MACHINE_ARN = (s: E2eContext) => `arn:aws:states:${s.endpoints.region}:${s.endpoints.accountId}:stateMachine:order-local-saga`;
export const executionArn = (s: E2eContext, orderId: string) => `arn:aws:states:${s.endpoints.region}:${s.endpoints.accountId}:execution:order-local-saga:${orderId}`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** Settings of the caller's shell that would point the CLI elsewhere than the stack under test. */
const FOREIGN = ['SFN_ENDPOINT', 'ORDER_API_URL', 'ORDER_API_TOKEN', 'SAGA_STATE_MACHINE', 'SAGA_STAGE', 'SAGA_COMPENSATION_STATES', 'FORCE_COLOR', 'AWS_PROFILE'];

/**
 * `npm run saga -- <argv>` as a child process (node --import tsx ops/inspector/src/cli.ts, what the npm
 * script runs), reading the stack's endpoints file like an ops person's shell would.
 */
export function sagaCli(endpointsFile: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SAGA_ENDPOINTS_FILE: endpointsFile };
  for (const name of FOREIGN) delete env[name];
  return (...argv: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, ...argv],
        { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({
            code,
            stdout,
            stderr,
            json: <T>() => {
              try {
                return JSON.parse(stdout) as T;
              } catch {
                throw new Error(`saga ${argv.join(' ')} (exit ${code}) did not print JSON:\n${stdout}\n${stderr}`);
              }
            },
          });
        },
      );
    });
}

/** Polls DescribeExecution until the execution is no longer RUNNING; its final status. */
export async function waitForExecution(sfn: SFNClient, arn: string, timeoutMs = 300_000): Promise<ExecutionStatus | 'MISSING'> {
  let status: ExecutionStatus | 'MISSING' = 'MISSING';
  const describe = async () => {
    try {
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status ?? 'MISSING';
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
    return status;
  };
  return eventually(describe, (now) => now !== 'RUNNING' && now !== 'MISSING', timeoutMs, 500);
}

export interface PlacedOrder {
  orderId: string;
  customerId: string;
  arn: string;
  /** The saga's final status. */
  status: ExecutionStatus | 'MISSING';
  /** The order record once the saga ended. */
  order: Order | undefined;
}

/** POST /orders, then waits for the saga to end (the order record is read after that). */
export async function placeAndSettle(
  s: E2eContext,
  input: { customerId: string; sku: string; quantity?: number; paymentToken: string },
  timeoutMs = 300_000,
): Promise<PlacedOrder> {
  const { customerId, sku, quantity = 1, paymentToken } = input;
  const { orderId } = await placeOrder(s, { customerId, email: `${customerId}@example.com`, items: [{ sku, quantity }], paymentToken }, unique('inspector'));
  const arn = executionArn(s, orderId);
  const status = await waitForExecution(s.sfn, arn, timeoutMs);
  const order = await s.platform.getOrder(orderId);
  return { orderId, customerId, arn, status, order };
}

/** Makes ConfirmOrder fail on every attempt (a transient error, retried until its retries run out). */
export const CONFIRM_ORDER_DOWN = { 'order-local-confirmOrder': { transient: 1 } };

/**
 * Orders whose saga FAILED in ConfirmOrder (its retries exhausted, ~1.5 min) while the faults file
 * made that function fail: all placed at once, so that they share one faults window. The faults
 * file is removed before this returns, so the cause is gone and a redrive can succeed. The whole
 * stack sees the faults file meanwhile: run the e2e project with one worker.
 */
export async function failedInConfirmOrder(s: E2eContext, ...inputs: Array<{ customerId: string; sku: string }>): Promise<PlacedOrder[]> {
  setFaults(s, CONFIRM_ORDER_DOWN);
  try {
    return await Promise.all(inputs.map((input) => placeAndSettle(s, { ...input, paymentToken: 'tok_visa' }, 600_000)));
  } finally {
    clearFaults(s);
  }
}

/** Orders placed one after the other, each waited for until its saga ended ("newest first" then has a defined order). */
export async function placeInTurn(s: E2eContext, inputs: Array<Parameters<typeof placeAndSettle>[1]>): Promise<PlacedOrder[]> {
  const placed: PlacedOrder[] = [];
  for (const input of inputs) placed.push(await placeAndSettle(s, input));
  return placed;
}

/** The stack's endpoints file (beside its faults file, in its data folder). */
export const endpointsFileOf = (s: E2eContext) => path.join(s.dataDir, 'endpoints.json');
