import path from 'node:path';
import { startServer } from '@order-platform/stepfunctions-local';
import { ComponentStartError } from '../errors';
import { assertPortFree } from '../process/ports';

/**
 * The project's own Step Functions API server (stepfunctions-local), run in this process. This
 * file is the whole integration: where it listens, where it keeps its data, and how Task states
 * reach the services' functions (by function-name prefix, to each serverless-offline Lambda port).
 */
export interface StepFunctionsOptions {
  port: number;
  host: string;
  region: string;
  accountId: string;
  /** Executions and state machines are kept here, so they survive a restart of the stack. */
  dataDir: string;
  /** `order-local-` → `http://127.0.0.1:3201`, one per service. */
  lambdaEndpoints: Record<string, string>;
  /** Pick up executions that a stop interrupted (default) instead of leaving them ABORTED. */
  resumeOnRestart: boolean;
  log: (line: string) => void;
}

export interface RunningStepFunctions {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startStepFunctions(options: StepFunctionsOptions): Promise<RunningStepFunctions> {
  await assertPortFree(options.port, options.host, 'Step Functions (stepfunctions-local)', 'stepfunctions');
  try {
    const server = await startServer({
      port: options.port,
      host: options.host,
      region: options.region,
      accountId: options.accountId,
      dataDir: path.resolve(options.dataDir),
      lambdaEndpoints: options.lambdaEndpoints,
      resumeOnRestart: options.resumeOnRestart,
      log: options.log,
    });
    return { endpoint: server.url, stop: () => server.close() };
  } catch (error) {
    throw new ComponentStartError('Step Functions (stepfunctions-local)', (error as Error).message);
  }
}
