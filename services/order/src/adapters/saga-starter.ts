import { SFNClient, StartExecutionCommand, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { requireEnv, type SagaInput } from '@order-platform/shared';
import { withInjectedThrottling } from '@order-platform/shared/lambda/fault-injection';
import type { SagaStarter, StartResult } from '../domain/ports';
import { parseWorkflowType, sagaStartPolicy, type SagaStartPolicy } from '../domain/saga-start';

/** Starts the order saga with the orderId as the execution name (Step Functions' dedup key). */
export class StepFunctionsSagaStarter implements SagaStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: SagaInput): Promise<StartResult> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: input.orderId,
          input: JSON.stringify(input),
        }),
      );
      return 'STARTED';
    } catch (error) {
      // An execution of this order exists (running with other input, or finished): it was started.
      // By name: an instanceof check fails when two copies of the SDK end up in one bundle.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return 'ALREADY_STARTED';
      }
      throw error;
    }
  }
}

/**
 * The saga the handlers start: one client per container, state machine from SAGA_STATE_MACHINE_ARN.
 * On the local stage the faults file can throttle its StartExecution (`"aws:StartExecution": {"throttle": p}`).
 */
export function sagaStarterFromEnv(config: SFNClientConfig = {}): StepFunctionsSagaStarter {
  return new StepFunctionsSagaStarter(withInjectedThrottling(new SFNClient(config), 'ThrottlingException'), requireEnv('SAGA_STATE_MACHINE_ARN'));
}

/**
 * The orders stream's starter waits out a throttle longer than the POST does: adaptive retries
 * (client-side rate limiting after throttles, jittered backoff from 0.5 s for a throttle) over up
 * to 6 attempts, at most 15.5 s of backoff per record attempt, well within the function's 30 s.
 * Each of the stream's retries (streamMaximumRetryAttempts) then waits again, so a burst is
 * absorbed by the stream, paced by the quota, rather than retried into it by clients.
 */
export const STREAM_SAGA_CLIENT: SFNClientConfig = { retryMode: 'adaptive', maxAttempts: 6 };

/** Who starts the saga, from SAGA_WORKFLOW_TYPE (STANDARD unless set). */
export function sagaStartPolicyFromEnv(): SagaStartPolicy {
  return sagaStartPolicy(parseWorkflowType(process.env.SAGA_WORKFLOW_TYPE));
}
