import { errors } from './errors';

/** Where this server pretends to live: every ARN it mints carries this region and account. */
export interface ArnScope {
  region: string;
  accountId: string;
}

const prefix = (scope: ArnScope) => `arn:aws:states:${scope.region}:${scope.accountId}`;

export const stateMachineArn = (scope: ArnScope, name: string) => `${prefix(scope)}:stateMachine:${name}`;

export const executionArn = (scope: ArnScope, stateMachineName: string, name: string) =>
  `${prefix(scope)}:execution:${stateMachineName}:${name}`;

/** Express execution ARNs carry a third part, like AWS's `express:<machine>:<name>:<id>`. */
export const expressExecutionArn = (scope: ArnScope, stateMachineName: string, name: string, id: string) =>
  `${prefix(scope)}:express:${stateMachineName}:${name}:${id}`;

interface StatesArn {
  resourceType: string;
  resource: string[];
}

function parseStatesArn(arn: string): StatesArn {
  if (!arn.startsWith('arn:')) throw errors.invalidArn(`Invalid ARN prefix: ${arn}`);
  const parts = arn.split(':');
  // arn:partition:states:region:account:type:name[...]
  if (parts.length < 7 || parts[2] !== 'states' || parts.slice(1, 7).some((p) => p === '')) {
    throw errors.invalidArn(`Invalid ARN: ${arn}`);
  }
  return { resourceType: parts[5] ?? '', resource: parts.slice(6) };
}

/** A state machine ARN; a qualified one (version or alias) parses but never matches a machine. */
export function parseStateMachineArn(arn: string): { name: string; qualified: boolean } {
  const parsed = parseStatesArn(arn);
  if (parsed.resourceType !== 'stateMachine') {
    throw errors.invalidArn(`Resource type not valid in this context: ${parsed.resourceType}`);
  }
  const [name = '', ...rest] = parsed.resource;
  if (name === '' || rest.length > 1) throw errors.invalidArn(`Invalid ARN: ${arn}`);
  return { name, qualified: rest.length === 1 };
}

/** A Standard execution ARN; Express ones are rejected the way AWS rejects them. */
export function parseExecutionArn(arn: string): { stateMachineName: string; name: string } {
  const parsed = parseStatesArn(arn);
  if (parsed.resourceType !== 'execution') {
    throw errors.invalidArn(`Resource type not valid in this context: ${parsed.resourceType}`);
  }
  const [stateMachineName = '', name = '', ...rest] = parsed.resource;
  if (stateMachineName === '' || name === '' || rest.length > 0) throw errors.invalidArn(`Invalid ARN: ${arn}`);
  return { stateMachineName, name };
}
