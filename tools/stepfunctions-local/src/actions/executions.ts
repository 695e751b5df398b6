import { randomUUID } from 'node:crypto';
import { errors } from '../errors';
import { decodeToken, encodeToken } from '../paging';
import { redriveStatus, type Execution, type ExpressOutcome } from '../service';
import { checkName, optionalEnum, optionalString, pageSize, requiredString, type Body } from '../validate';
import { requireExecution, requireMachine, seconds, type Action } from './common';

const MAX_INPUT = 256 * 1024;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** Input is JSON text; absent means "{}", like AWS. */
function inputOf(body: Body): { text: string; value: unknown } {
  const raw = body['input'];
  if (raw === undefined || raw === null) return { text: '{}', value: {} };
  if (typeof raw !== 'string') throw errors.validation(`Invalid type for 'input': expected a string`);
  if (raw.length > MAX_INPUT) {
    throw errors.validation(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT}`,
    );
  }
  if (raw.trim() === '') throw errors.invalidExecutionInput('Invalid execution input.');
  try {
    return { text: raw, value: JSON.parse(raw) };
  } catch (error) {
    throw errors.invalidExecutionInput((error as Error).message);
  }
}

function startRequest(body: Body) {
  const stateMachineArn = requiredString(body, 'stateMachineArn');
  const nameArg = optionalString(body, 'name', 1024);
  const name = nameArg === undefined ? randomUUID() : checkName(nameArg);
  return { stateMachineArn, name, input: inputOf(body) };
}

export const startExecution: Action = (service, body) => {
  const request = startRequest(body);
  const machine = requireMachine(service, request.stateMachineArn);
  if (machine.type === 'EXPRESS') {
    const started = service.startExpress(machine, request.name, request.input.text, request.input.value);
    return { executionArn: started.arn, startDate: seconds(started.startDate) };
  }
  const execution = service.startExecution(machine, request.name, request.input.text, request.input.value);
  return { executionArn: execution.arn, startDate: seconds(execution.startDate) };
};

/** Express only: runs to the end and answers with the outcome. */
export const startSyncExecution: Action = async (service, body) => {
  const request = startRequest(body);
  const machine = requireMachine(service, request.stateMachineArn);
  if (machine.type !== 'EXPRESS') throw errors.typeNotSupported();
  const started = service.startExpress(machine, request.name, request.input.text, request.input.value);
  return syncResponse(started, await started.done);
};

function syncResponse(started: ExpressOutcome, result: Awaited<ExpressOutcome['done']>): object {
  const { terminal, stopDate } = result;
  // StartSyncExecution knows only SUCCEEDED, FAILED and TIMED_OUT; an abort (server shutdown) is a failure.
  const status = terminal.status === 'ABORTED' ? 'FAILED' : terminal.status;
  const duration = stopDate - started.startDate;
  return {
    executionArn: started.arn,
    stateMachineArn: started.machine.arn,
    name: started.name,
    startDate: seconds(started.startDate),
    stopDate: seconds(stopDate),
    status,
    input: started.input,
    inputDetails: { included: true },
    ...(terminal.output !== undefined && { output: terminal.output, outputDetails: { included: true } }),
    ...(terminal.error !== undefined && { error: terminal.error }),
    ...(terminal.cause !== undefined && { cause: terminal.cause }),
    ...(terminal.status === 'ABORTED' && { error: 'States.Runtime', cause: 'The execution was aborted' }),
    // Express bills in 100 ms steps with a 64 MB minimum.
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(duration / 100) * 100) },
  };
}

export const describeExecution: Action = (service, body) => {
  const execution = requireExecution(service, requiredString(body, 'executionArn'));
  const includeData = optionalEnum(body, 'includedData', ['ALL_DATA', 'METADATA_ONLY'] as const) !== 'METADATA_ONLY';
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.machine.arn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    ...(execution.stopDate !== undefined && { stopDate: seconds(execution.stopDate) }),
    ...(includeData && { input: execution.input }),
    inputDetails: { included: includeData },
    ...(includeData && execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error !== undefined && { error: execution.error }),
    ...(execution.cause !== undefined && { cause: execution.cause }),
    redriveCount: execution.redriveCount,
    ...(execution.redriveDate !== undefined && { redriveDate: seconds(execution.redriveDate) }),
    ...redriveStatus(execution),
  };
};

/** Newest first; the token carries the sequence number of the last execution returned. */
export const listExecutions: Action = (service, body) => {
  const machine = requireMachine(service, requiredString(body, 'stateMachineArn'));
  const statusFilter = optionalEnum(body, 'statusFilter', STATUSES);
  const redriveFilter = optionalEnum(body, 'redriveFilter', ['REDRIVEN', 'NOT_REDRIVEN'] as const);
  const max = pageSize(body);
  const token = optionalString(body, 'nextToken', 8192);
  if (machine.type === 'EXPRESS') throw errors.typeNotSupported();
  const before = token === undefined ? Infinity : Number(decodeToken(token, 'executions', machine.id, 3096));
  const matches = (e: Execution) =>
    (statusFilter === undefined || e.status === statusFilter) &&
    (redriveFilter === undefined || (redriveFilter === 'REDRIVEN') === e.redriveCount > 0);
  const all = service.listExecutions(machine);
  const page: Execution[] = [];
  let nextToken: string | undefined;
  for (let i = all.length - 1; i >= 0; i -= 1) {
    const execution = all[i];
    if (!execution || execution.seq >= before || !matches(execution)) continue;
    if (page.length === max) {
      nextToken = encodeToken('executions', machine.id, page[page.length - 1]?.seq ?? 0);
      break;
    }
    page.push(execution);
  }
  return {
    executions: page.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: machine.arn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startDate),
      ...(e.stopDate !== undefined && { stopDate: seconds(e.stopDate) }),
      redriveCount: e.redriveCount,
      ...(e.redriveDate !== undefined && { redriveDate: seconds(e.redriveDate) }),
    })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

export const stopExecution: Action = (service, body) => {
  const execution = requireExecution(service, requiredString(body, 'executionArn'));
  const error = optionalString(body, 'error', 256);
  const cause = optionalString(body, 'cause', 32768);
  return { stopDate: seconds(service.stopExecution(execution, error, cause)) };
};

export const redriveExecution: Action = (service, body) => {
  const execution = requireExecution(service, requiredString(body, 'executionArn'));
  const clientToken = optionalString(body, 'clientToken', 64);
  return { redriveDate: seconds(service.redriveExecution(execution, clientToken)) };
};
