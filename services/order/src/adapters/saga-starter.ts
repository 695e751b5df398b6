import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SagaInput } from '@order-platform/shared';

export type StartResult = 'STARTED' | 'ALREADY_STARTED';

/** Starts the order saga with the orderId as the execution name (Step Functions' dedup key). */
export class SagaStarter {
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
      if (error instanceof ExecutionAlreadyExists || (error as Error | undefined)?.name === 'ExecutionAlreadyExists') {
        return 'ALREADY_STARTED';
      }
      throw error;
    }
  }
}
