import type { Action } from './common';
import {
  describeExecution,
  listExecutions,
  redriveExecution,
  startExecution,
  startSyncExecution,
  stopExecution,
} from './executions';
import { getExecutionHistory } from './history';
import {
  createStateMachine,
  deleteStateMachine,
  describeStateMachine,
  describeStateMachineForExecution,
  listStateMachines,
  updateStateMachine,
  validateStateMachineDefinition,
} from './state-machines';

/** X-Amz-Target `AWSStepFunctions.<name>` → action. */
export const actions: Readonly<Record<string, Action>> = {
  CreateStateMachine: createStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  DescribeStateMachine: describeStateMachine,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  ListStateMachines: listStateMachines,
  StartExecution: startExecution,
  StartSyncExecution: startSyncExecution,
  DescribeExecution: describeExecution,
  ListExecutions: listExecutions,
  StopExecution: stopExecution,
  RedriveExecution: redriveExecution,
  GetExecutionHistory: getExecutionHistory,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
};
