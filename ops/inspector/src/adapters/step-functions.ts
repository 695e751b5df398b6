import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  type GetExecutionHistoryCommandInput,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  paginateGetExecutionHistory,
} from '@aws-sdk/client-sfn';
import { type ExecutionRecord, type ExecutionStatus, toExecutionRecord } from '../core/execution';
import { InspectorError, toInspectorError } from '../errors';

/**
 * The Step Functions API, and only that: the same calls work against the local server and AWS.
 * Every method returns the inspector's own shapes and inspector errors.
 */
export interface SfnConnection {
  /** Absent: the SDK's default (AWS, or AWS_ENDPOINT_URL_SFN). */
  endpoint?: string;
  region: string;
  /** Absent: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface StateMachineInfo {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
}

export interface ExecutionListPage {
  items: ExecutionRecord[];
  nextToken?: string;
}

/**
 * Every event of an execution, oldest first, following nextToken (the API pages at 1,000): the one
 * history pager of the repository (the local stack's tools, the tests and the benches use it too).
 */
export async function executionHistory(
  client: SFNClient,
  executionArn: string,
  options: Omit<GetExecutionHistoryCommandInput, 'executionArn' | 'nextToken' | 'maxResults'> = {},
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client, pageSize: 1000 }, { ...options, executionArn })) events.push(...(page.events ?? []));
  return events;
}

export function createSfnClient(connection: SfnConnection): SFNClient {
  return new SFNClient({
    region: connection.region,
    ...(connection.endpoint && { endpoint: connection.endpoint }),
    ...(connection.credentials && { credentials: connection.credentials }),
    // Fail fast on a dead local endpoint instead of retrying for seconds.
    maxAttempts: connection.endpoint ? 2 : 3,
  });
}

export class StepFunctionsGateway {
  constructor(
    private readonly client: SFNClient,
    /** For error messages only. */
    private readonly endpoint?: string,
  ) {}

  /** A state machine by ARN, or by name (looked up with ListStateMachines). */
  async findStateMachine(nameOrArn: string): Promise<StateMachineInfo> {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : await this.arnOfStateMachine(nameOrArn);
    const out = await this.call(() => this.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })));
    return {
      arn: out.stateMachineArn ?? arn,
      name: out.name ?? nameOrArn,
      type: out.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definition: out.definition ?? '{}',
    };
  }

  private async arnOfStateMachine(name: string): Promise<string> {
    let nextToken: string | undefined;
    do {
      const page = await this.call(() => this.client.send(new ListStateMachinesCommand({ maxResults: 1000, nextToken })));
      const match = page.stateMachines?.find((m) => m.name === name);
      if (match?.stateMachineArn) return match.stateMachineArn;
      nextToken = page.nextToken;
    } while (nextToken);
    throw new InspectorError('NOT_FOUND', `no state machine named ${name}${this.endpoint ? ` at ${this.endpoint}` : ''} (use --state-machine or --stage)`);
  }

  async listExecutions(request: {
    stateMachineArn: string;
    status?: ExecutionStatus;
    maxResults: number;
    nextToken?: string;
  }): Promise<ExecutionListPage> {
    const out = await this.call(() =>
      this.client.send(
        new ListExecutionsCommand({
          stateMachineArn: request.stateMachineArn,
          ...(request.status && { statusFilter: request.status }),
          maxResults: request.maxResults,
          ...(request.nextToken && { nextToken: request.nextToken }),
        }),
      ),
    );
    return { items: (out.executions ?? []).map(toExecutionRecord), ...(out.nextToken && { nextToken: out.nextToken }) };
  }

  /** The execution, or undefined when there is none with that ARN. */
  async describeExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    try {
      return toExecutionRecord(await this.call(() => this.client.send(new DescribeExecutionCommand({ executionArn }))));
    } catch (error) {
      if (error instanceof InspectorError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** Every event, oldest first. */
  async history(executionArn: string): Promise<HistoryEvent[]> {
    return this.call(() => executionHistory(this.client, executionArn, { includeExecutionData: true }));
  }

  /** The definition this execution ran with (it may differ from the machine's current one). */
  async definitionForExecution(executionArn: string): Promise<string> {
    const out = await this.call(() => this.client.send(new DescribeStateMachineForExecutionCommand({ executionArn })));
    return out.definition ?? '{}';
  }

  async stop(executionArn: string, error?: string, cause?: string): Promise<Date | undefined> {
    const out = await this.call(() =>
      this.client.send(new StopExecutionCommand({ executionArn, ...(error && { error }), ...(cause && { cause }) })),
    );
    return out.stopDate;
  }

  async redrive(executionArn: string, clientToken?: string): Promise<Date | undefined> {
    const out = await this.call(() =>
      this.client.send(new RedriveExecutionCommand({ executionArn, ...(clientToken && { clientToken }) })),
    );
    return out.redriveDate;
  }

  /**
   * Starts an execution; one of that name with the same input (started by someone else, e.g. the
   * order stream for a seeded order row) is the same execution, not an error.
   */
  async start(stateMachineArn: string, name: string, input: string): Promise<string> {
    try {
      const out = await this.call(() => this.client.send(new StartExecutionCommand({ stateMachineArn, name, input })));
      return out.executionArn ?? '';
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      const existing = await this.describeExecution(arn);
      if (existing?.input !== input) throw error;
      return arn;
    }
  }

  async updateDefinition(stateMachineArn: string, definition: string): Promise<void> {
    await this.call(() => this.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition })));
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toInspectorError(error, this.endpoint);
    }
  }
}
