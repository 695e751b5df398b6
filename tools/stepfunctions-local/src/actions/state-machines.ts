import { parseStateMachineArn } from '../arn';
import { definitionDiagnostics } from '../definition';
import { ApiError, errors } from '../errors';
import { decodeToken, encodeToken } from '../paging';
import type { Machine, MachineType } from '../service';
import { checkName, optionalEnum, optionalString, pageSize, requiredString, type Body } from '../validate';
import { requireExecution, requireMachine, seconds, type Action } from './common';

const MAX_DEFINITION = 1024 * 1024;
const DEFAULT_LOGGING = { level: 'OFF', includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };

function roleArnOf(body: Body, required: boolean): string | undefined {
  const roleArn = required ? requiredString(body, 'roleArn') : optionalString(body, 'roleArn');
  if (roleArn !== undefined && !roleArn.startsWith('arn:')) throw errors.invalidArn(`Invalid ARN prefix: ${roleArn}`);
  return roleArn;
}

export const createStateMachine: Action = (service, body) => {
  const name = checkName(requiredString(body, 'name', 1024));
  const definition = requiredString(body, 'definition', MAX_DEFINITION);
  const roleArn = roleArnOf(body, true) ?? '';
  const type = optionalEnum<MachineType>(body, 'type', ['STANDARD', 'EXPRESS']) ?? 'STANDARD';
  const machine = service.createStateMachine({
    name,
    definition,
    roleArn,
    type,
    loggingConfiguration: body['loggingConfiguration'],
    tracingConfiguration: body['tracingConfiguration'],
  });
  return { stateMachineArn: machine.arn, creationDate: seconds(machine.creationDate) };
};

export const updateStateMachine: Action = (service, body) => {
  const machine = requireMachine(service, requiredString(body, 'stateMachineArn'));
  const definition = optionalString(body, 'definition', MAX_DEFINITION);
  const roleArn = roleArnOf(body, false);
  const { loggingConfiguration, tracingConfiguration } = body;
  if (definition === undefined && roleArn === undefined && loggingConfiguration === undefined && tracingConfiguration === undefined) {
    throw new ApiError(
      'MissingRequiredParameter',
      'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    );
  }
  const updated = service.updateStateMachine(machine, { definition, roleArn, loggingConfiguration, tracingConfiguration });
  return { updateDate: seconds(updated.updateDate ?? Date.now()), revisionId: updated.revisionId };
};

/** Like AWS, deleting a machine that does not exist succeeds. */
export const deleteStateMachine: Action = (service, body) => {
  const arn = requiredString(body, 'stateMachineArn');
  const { name, qualified } = parseStateMachineArn(arn);
  const machine = service.findMachine(name);
  if (!qualified && machine?.arn === arn) service.deleteStateMachine(name);
  return {};
};

export const describeStateMachine: Action = (service, body) => {
  const machine = requireMachine(service, requiredString(body, 'stateMachineArn'));
  return {
    ...machineDescription(machine, service.definitionText(machine.definitionHash), service.variableReferences(machine.definitionHash)),
    status: 'ACTIVE',
    type: machine.type,
    creationDate: seconds(machine.creationDate),
  };
};

export const describeStateMachineForExecution: Action = (service, body) => {
  const execution = requireExecution(service, requiredString(body, 'executionArn'));
  const machine = execution.machine;
  return {
    ...machineDescription(machine, service.definitionText(execution.definitionHash), service.variableReferences(execution.definitionHash)),
    roleArn: execution.roleArn,
    updateDate: seconds(machine.updateDate ?? machine.creationDate),
  };
};

function machineDescription(machine: Machine, definition: string, variableReferences: Record<string, string[]> | undefined): Record<string, unknown> {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    definition,
    roleArn: machine.roleArn,
    loggingConfiguration: machine.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: machine.tracingConfiguration ?? DEFAULT_TRACING,
    ...(machine.revisionId !== undefined && { revisionId: machine.revisionId }),
    ...(variableReferences && { variableReferences }),
  };
}

/** Sorted by name; the token carries the last name returned. */
export const listStateMachines: Action = (service, body) => {
  const max = pageSize(body);
  const token = optionalString(body, 'nextToken', 4096);
  const after = token === undefined ? undefined : String(decodeToken(token, 'machines', '', 1024));
  const machines = service.listMachines().filter((m) => after === undefined || m.name > after);
  const page = machines.slice(0, max);
  const last = page[page.length - 1];
  return {
    stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
    ...(machines.length > max && last && { nextToken: encodeToken('machines', '', last.name) }),
  };
};

/** Validates without creating anything: the same checks as CreateStateMachine, as diagnostics. */
export const validateStateMachineDefinition: Action = (_service, body) => {
  const definition = requiredString(body, 'definition', MAX_DEFINITION);
  optionalEnum<MachineType>(body, 'type', ['STANDARD', 'EXPRESS']);
  optionalEnum(body, 'severity', ['ERROR', 'WARNING']);
  const diagnostics = definitionDiagnostics(definition);
  const max = typeof body['maxResults'] === 'number' && body['maxResults'] > 0 ? body['maxResults'] : 100;
  return { result: diagnostics.length > 0 ? 'FAIL' : 'OK', diagnostics: diagnostics.slice(0, max), truncated: diagnostics.length > max };
};
