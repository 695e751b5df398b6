import { isExecutionArn } from '../core/execution';
import { buildExport, type ExecutionExport } from '../core/execution-export';
import { InspectorError } from '../errors';
import { createSfnClient, StepFunctionsGateway } from '../adapters/step-functions';

/**
 * Where a replay's original comes from: an execution of the local stack (name or ARN), an
 * execution on AWS (its ARN, read with the caller's credentials), or an export file.
 */
export type ReplaySource = { kind: 'local'; id: string } | { kind: 'aws'; executionArn: string } | { kind: 'file'; path: string };

/** An ARN of another account or region than the local state machine's is an AWS execution. */
export function classifySource(source: string, localMachineArn: string, isFile: (path: string) => boolean): ReplaySource {
  if (isExecutionArn(source)) {
    const [, , , region, account] = source.split(':');
    const [, , , localRegion, localAccount] = localMachineArn.split(':');
    return region === localRegion && account === localAccount ? { kind: 'local', id: source } : { kind: 'aws', executionArn: source };
  }
  if (source.endsWith('.json') || source.includes('/') || isFile(source)) return { kind: 'file', path: source };
  return { kind: 'local', id: source };
}

/**
 * An execution read from Step Functions (AWS or local): DescribeExecution,
 * DescribeStateMachineForExecution, GetExecutionHistory. Unmasked: it stays in memory.
 */
export async function readExecution(gateway: StepFunctionsGateway, executionArn: string): Promise<ExecutionExport> {
  const record = await gateway.describeExecution(executionArn);
  if (!record) throw new InspectorError('NOT_FOUND', `no execution ${executionArn}`);
  const [events, definition] = await Promise.all([gateway.history(executionArn), gateway.definitionForExecution(executionArn)]);
  return buildExport({ record, events, definition, mask: false });
}

/** An AWS execution, read in its own region with the SDK's default credential chain. */
export async function readAwsExecution(executionArn: string, gateway?: StepFunctionsGateway): Promise<ExecutionExport> {
  const region = executionArn.split(':')[3] ?? 'eu-west-1';
  const client = gateway ? undefined : createSfnClient({ region });
  try {
    return await readExecution(gateway ?? new StepFunctionsGateway(client!), executionArn);
  } finally {
    client?.destroy();
  }
}
