import { parseExecutionArn, parseStateMachineArn } from '../arn';
import { errors } from '../errors';
import type { Execution, Machine, StepFunctionsService } from '../service';
import type { Body } from '../validate';

/** An API action: validates its request body and returns the response body. */
export type Action = (service: StepFunctionsService, body: Body) => object | Promise<object>;

/** AWS JSON timestamps: epoch seconds, fractional. */
export const seconds = (ms: number) => ms / 1000;

export function requireMachine(service: StepFunctionsService, arn: string): Machine {
  const { name, qualified } = parseStateMachineArn(arn);
  const machine = qualified ? undefined : service.findMachine(name);
  if (!machine || machine.arn !== arn) throw errors.stateMachineDoesNotExist(arn);
  return machine;
}

export function requireExecution(service: StepFunctionsService, arn: string): Execution {
  const { stateMachineName, name } = parseExecutionArn(arn);
  const execution = service.findExecution(stateMachineName, name);
  if (!execution || execution.arn !== arn) throw errors.executionDoesNotExist(arn);
  return execution;
}
