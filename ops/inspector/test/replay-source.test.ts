import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { compensationRule } from '../src/core/compensation';
import { replayInput } from '../src/core/replay';
import { buildTimeline } from '../src/core/timeline';
import { classifySource, readAwsExecution } from '../src/app/replay-source';
import { StepFunctionsGateway } from '../src/adapters/step-functions';

/**
 * The AWS source of a replay: an execution ARN of another account read with DescribeExecution,
 * DescribeStateMachineForExecution and GetExecutionHistory. The SDK is mocked with the shapes of
 * AWS's API reference (HistoryEvent, GetExecutionHistory, DescribeExecution:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * epoch timestamps, `previousEventId` chains, details objects per event type, and a history that
 * pages with `nextToken`.
 */
const ARN = 'arn:aws:states:eu-central-1:123456789012:execution:order-prod-saga:ord-9f2c';
const MACHINE = 'arn:aws:states:eu-central-1:123456789012:stateMachine:order-prod-saga';
const LOCAL_MACHINE = 'arn:aws:states:eu-west-1:000000000000:stateMachine:order-local-saga';
const INPUT = '{"orderId":"ord-9f2c","customerId":"c-7","email":"c7@example.com","items":[{"sku":"SKU-1","quantity":1}],"paymentToken":"tok_live_4242"}';
const lambda = (name: string) => `arn:aws:lambda:eu-central-1:123456789012:function:${name}`;
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 3, 0, s));

const FIRST_PAGE: HistoryEvent[] = [
  { id: 1, previousEventId: 0, timestamp: at(0), type: 'ExecutionStarted', executionStartedEventDetails: { input: INPUT, inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/order-prod-saga' } },
  { id: 2, previousEventId: 0, timestamp: at(0), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'ReserveInventory', input: INPUT, inputDetails: { truncated: false } } },
  { id: 3, previousEventId: 2, timestamp: at(0), type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: lambda('inventory-prod-reserve'), input: '{"orderId":"ord-9f2c"}', inputDetails: { truncated: false }, timeoutInSeconds: 10 } },
  { id: 4, previousEventId: 3, timestamp: at(0), type: 'LambdaFunctionStarted' },
  { id: 5, previousEventId: 4, timestamp: at(1), type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: { output: '{"lines":[{"sku":"SKU-1","quantity":1,"unitPrice":4200,"currency":"EUR"}],"total":{"amount":4200,"currency":"EUR"}}', outputDetails: { truncated: false } } },
  { id: 6, previousEventId: 5, timestamp: at(1), type: 'TaskStateExited', stateExitedEventDetails: { name: 'ReserveInventory', output: '{}', outputDetails: { truncated: false } } },
];
const SECOND_PAGE: HistoryEvent[] = [
  { id: 7, previousEventId: 6, timestamp: at(1), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'ProcessPayment', input: '{}', inputDetails: { truncated: false } } },
  { id: 8, previousEventId: 7, timestamp: at(1), type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: lambda('payment-prod-charge'), input: '{}', timeoutInSeconds: 10 } },
  { id: 9, previousEventId: 8, timestamp: at(2), type: 'LambdaFunctionStarted' },
  { id: 10, previousEventId: 9, timestamp: at(3), type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: { error: 'PaymentDeclined', cause: '{"errorType":"PaymentDeclined","errorMessage":"card_declined"}' } },
  { id: 11, previousEventId: 10, timestamp: at(3), type: 'TaskStateExited', stateExitedEventDetails: { name: 'ProcessPayment', output: '{}' } },
  { id: 12, previousEventId: 11, timestamp: at(3), type: 'FailStateEntered', stateEnteredEventDetails: { name: 'OrderFailed', input: '{}' } },
  { id: 13, previousEventId: 12, timestamp: at(4), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'OrderFailed', cause: 'PaymentDeclined' } },
];
const DEFINITION = JSON.stringify({ StartAt: 'ReserveInventory', States: { ReserveInventory: { Type: 'Task', Resource: lambda('inventory-prod-reserve'), Next: 'ProcessPayment' } } });

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

function mockAws() {
  sfn.on(DescribeExecutionCommand, { executionArn: ARN }).resolves({
    executionArn: ARN,
    stateMachineArn: MACHINE,
    name: 'ord-9f2c',
    status: 'FAILED',
    startDate: at(0),
    stopDate: at(4),
    input: INPUT,
    inputDetails: { included: true },
    error: 'OrderFailed',
    cause: 'PaymentDeclined',
    redriveCount: 0,
    redriveStatus: 'REDRIVABLE',
  });
  sfn.on(DescribeStateMachineForExecutionCommand, { executionArn: ARN }).resolves({ stateMachineArn: MACHINE, name: 'order-prod-saga', definition: DEFINITION, roleArn: 'r', updateDate: at(0) });
  sfn
    .on(GetExecutionHistoryCommand, { executionArn: ARN })
    .resolves({ events: FIRST_PAGE, nextToken: 'page-2' })
    .on(GetExecutionHistoryCommand, { executionArn: ARN, nextToken: 'page-2' })
    .resolves({ events: SECOND_PAGE });
}

describe('classifySource', () => {
  it('tells an AWS execution ARN from a local one, a file and a local name', () => {
    expect(classifySource(ARN, LOCAL_MACHINE, () => false)).toEqual({ kind: 'aws', executionArn: ARN });
    const local = 'arn:aws:states:eu-west-1:000000000000:execution:order-local-saga:ord-1';
    expect(classifySource(local, LOCAL_MACHINE, () => false)).toEqual({ kind: 'local', id: local });
    expect(classifySource('ord-1-history.json', LOCAL_MACHINE, () => false)).toEqual({ kind: 'file', path: 'ord-1-history.json' });
    expect(classifySource('export', LOCAL_MACHINE, (p) => p === 'export')).toEqual({ kind: 'file', path: 'export' });
    expect(classifySource('ord-1', LOCAL_MACHINE, () => false)).toEqual({ kind: 'local', id: 'ord-1' });
  });
});

describe('readAwsExecution', () => {
  it('reads the record, the definition it ran with and every page of its history', async () => {
    mockAws();
    const client = new SFNClient({ region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const exported = await readAwsExecution(ARN, new StepFunctionsGateway(client));
    expect(exported.execution).toMatchObject({ name: 'ord-9f2c', status: 'FAILED', error: 'OrderFailed', input: INPUT });
    expect(exported.definition).toBe(DEFINITION);
    expect(exported.events.map((e) => e.id)).toEqual([...FIRST_PAGE, ...SECOND_PAGE].map((e) => e.id));
    // Unmasked in memory: only a file written for someone else is masked.
    expect(exported.masked).toEqual([]);
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ executionArn: ARN, includeExecutionData: true }),
      expect.objectContaining({ executionArn: ARN, nextToken: 'page-2' }),
    ]);
  });

  it('turns the history into the replay input: its own order id, the input otherwise as recorded', async () => {
    mockAws();
    const client = new SFNClient({ region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const exported = await readAwsExecution(ARN, new StepFunctionsGateway(client));
    const timeline = buildTimeline(exported.events, { isCompensation: compensationRule() });
    expect(timeline.entries.map((e) => [e.name, e.status, e.error])).toEqual([
      ['ReserveInventory', 'succeeded', undefined],
      ['ProcessPayment', 'caught', 'PaymentDeclined'],
      ['OrderFailed', 'failed', 'OrderFailed'],
    ]);
    const { input } = replayInput(exported, 'ord-9f2c-replay-1', timeline);
    expect(input).toEqual({ ...(JSON.parse(INPUT) as object), orderId: 'ord-9f2c-replay-1' });
  });

  it('says so when the execution does not exist', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' }));
    const client = new SFNClient({ region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await expect(readAwsExecution(ARN, new StepFunctionsGateway(client))).rejects.toThrow(/no execution/u);
  });
});
