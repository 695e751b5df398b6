import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetSubscriptionAttributesCommand, ListSubscriptionsCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../../src/aws-clients';
import { startDynamoDb, type RunningDynamoDb } from '../../src/components/dynamodb';
import { startStepFunctions, type RunningStepFunctions } from '../../src/components/stepfunctions';
import { provision, provisionStateMachines, type ProvisionResult } from '../../src/provision/provision';
import { ensureTable } from '../../src/provision/resources/dynamodb-table';
import type { CfnTemplate } from '../../src/provision/template';
import { ACCOUNT, fauxqs, logger, REGION } from '../support';

/**
 * The provisioner on a small template in the shape osls packages: everything it declares is
 * created in the real emulators (DynamoDB Local, fauxqs, stepfunctions-local), and a second run
 * on the same emulators changes nothing.
 */
const template: CfnTemplate = {
  Resources: {
    OrdersTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'shop-local-orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'orderId', AttributeType: 'S' },
          { AttributeName: 'customerId', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byCustomer', KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        SSESpecification: { SSEEnabled: true },
      },
    },
    EventsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': 'shop-${AWS::Region}-events' } } },
    EventsDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'shop-local-events-dlq', MessageRetentionPeriod: 1209600 } },
    EventsQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: 'shop-local-events',
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EventsDlq', 'Arn'] }, maxReceiveCount: 5 },
      },
    },
    EventsQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'EventsQueue' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': [{ Ref: 'EventsTopic' }] } },
            },
          ],
        },
      },
    },
    EventsSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'EventsTopic' },
        Protocol: 'sqs',
        Endpoint: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] },
        RawMessageDelivery: false,
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: { eventType: ['OrderConfirmed', 'OrderFailed'] },
      },
    },
    ConsumeLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'shop-local-consume', Timeout: 10, Handler: 'consume.handler' } },
    PublishLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'shop-local-publish', Handler: 'publish.handler' } },
    ConsumeEventSourceMappingSQSEventsQueue: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        EventSourceArn: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] },
        Enabled: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    },
    PublishEventSourceMappingDynamodbOrdersTable: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 25,
        EventSourceArn: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] },
        FunctionName: { 'Fn::GetAtt': ['PublishLambdaFunction', 'Arn'] },
        StartingPosition: 'LATEST',
        MaximumRetryAttempts: 10,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['EventsDlq', 'Arn'] } } },
      },
    },
    SweepEventsRuleSchedule1: {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['ConsumeLambdaFunction', 'Arn'] }, Id: 'sweep' }] },
    },
    SagaRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Saga: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'shop-local-saga',
        RoleArn: { 'Fn::GetAtt': ['SagaRole', 'Arn'] },
        DefinitionString: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', Result: { table: '${TableName}' }, End: true } } }),
        DefinitionSubstitutions: { TableName: { Ref: 'OrdersTable' } },
      },
    },
  },
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

let queues: Awaited<ReturnType<typeof fauxqs>>;
let dynamo: RunningDynamoDb;
let stepFunctions: RunningStepFunctions;
let dynamodb: DynamoDBClient;
let sfn: SFNClient;
let sfnData: string;
let first: ProvisionResult;
let second: ProvisionResult;

beforeAll(async () => {
  sfnData = mkdtempSync(path.join(os.tmpdir(), 'provision-test-'));
  queues = await fauxqs();
  dynamo = await startDynamoDb({ port: await freePort(), logFile: path.join(sfnData, 'dynamodb.log') });
  stepFunctions = await startStepFunctions({
    port: await freePort(),
    host: '127.0.0.1',
    region: REGION,
    accountId: ACCOUNT,
    dataDir: path.join(sfnData, 'stepfunctions'),
    lambdaEndpoints: {},
    resumeOnRestart: false,
    log: () => undefined,
  });
  dynamodb = new DynamoDBClient(localClientConfig(dynamo.endpoint, REGION));
  sfn = new SFNClient(localClientConfig(stepFunctions.endpoint, REGION));
  const clients = { dynamodb, sns: queues.sns, sqs: queues.sqs };
  const ctx = { region: REGION, accountId: ACCOUNT, sqsEndpoint: queues.server.endpoint };
  const stacks = [{ stackName: 'shop-local', template }];
  first = await provision(stacks, clients, ctx, logger);
  await provisionStateMachines(first.resolved, sfn, logger);
  second = await provision(stacks, clients, ctx, logger);
  await provisionStateMachines(second.resolved, sfn, logger);
}, 120_000);

afterAll(async () => {
  dynamodb?.destroy();
  sfn?.destroy();
  await stepFunctions?.stop();
  await dynamo?.stop();
  await queues?.close();
  rmSync(sfnData, { recursive: true, force: true });
});

it('creates the table with its GSI and stream', async () => {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'shop-local-orders' }));
  expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byCustomer']);
  expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
});

it('creates the queues with visibility timeout and redrive to the DLQ, and sets the queue policy', async () => {
  const url = `${queues.server.endpoint}/${ACCOUNT}/shop-local-events`;
  const { Attributes } = await queues.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  expect(Attributes?.VisibilityTimeout).toBe('60');
  expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-local-events-dlq`, maxReceiveCount: 5 });
  expect(JSON.parse(Attributes!.Policy!).Statement[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [`arn:aws:sns:${REGION}:${ACCOUNT}:shop-eu-west-1-events`] } });
});

it('creates the topic and one subscription with its filter policy, scope and raw delivery flag', async () => {
  const topics = await queues.sns.send(new ListTopicsCommand({}));
  expect(topics.Topics?.map((topic) => topic.TopicArn)).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:shop-eu-west-1-events`]);
  const { Subscriptions } = await queues.sns.send(new ListSubscriptionsCommand({}));
  expect(Subscriptions).toHaveLength(1);
  const { Attributes } = await queues.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: Subscriptions![0]!.SubscriptionArn }));
  expect(JSON.parse(Attributes!.FilterPolicy!)).toEqual({ eventType: ['OrderConfirmed', 'OrderFailed'] });
  expect(Attributes).toMatchObject({ FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'false', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-local-events` });
});

it('creates the state machine once, with its substitutions, and updates it on the second run', async () => {
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  expect(stateMachines?.map((machine) => machine.name)).toEqual(['shop-local-saga']);
  const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachines![0]!.stateMachineArn }));
  expect(JSON.parse(machine.definition!).States.Done.Result).toEqual({ table: 'shop-local-orders' });
});

it('turns the event source mappings and the schedule into poller settings with real ARNs', () => {
  const sqs = first.eventSources.find((source) => source.kind === 'sqs');
  expect(sqs).toEqual({
    kind: 'sqs',
    id: 'shop-local/ConsumeEventSourceMappingSQSEventsQueue',
    target: { functionName: 'shop-local-consume', timeoutSeconds: 10 },
    queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-local-events`,
    queueUrl: `${queues.server.endpoint}/${ACCOUNT}/shop-local-events`,
    batchSize: 10,
    maximumBatchingWindowSeconds: 1,
    reportBatchItemFailures: true,
    maximumConcurrency: undefined,
  });
  const stream = first.eventSources.find((source) => source.kind === 'dynamodb-stream');
  expect(stream).toMatchObject({
    target: { functionName: 'shop-local-publish', timeoutSeconds: 6 },
    tableName: 'shop-local-orders',
    batchSize: 25,
    startingPosition: 'LATEST',
    maximumRetryAttempts: 10,
    bisectBatchOnFunctionError: true,
    reportBatchItemFailures: true,
    onFailureDestination: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-local-events-dlq`,
  });
  expect(stream && 'streamArn' in stream && stream.streamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:123456789012:table\/shop-local-orders\/stream\/\d{4}-\d\d-\d\dT/);
  expect(first.schedules).toMatchObject([{ target: { functionName: 'shop-local-consume' }, expression: 'rate(5 minutes)', everyMs: 300_000 }]);
});

it('lists what has no local counterpart as skipped', () => {
  expect(first.skipped.map((item) => `${item.type} ${item.logicalId}`).sort()).toEqual([
    'AWS::IAM::Role SagaRole',
    'AWS::Lambda::Function ConsumeLambdaFunction',
    'AWS::Lambda::Function PublishLambdaFunction',
  ]);
});

it('is idempotent: a second run finds everything in place and creates nothing new', async () => {
  expect(second.resources.filter((resource) => resource.action === 'created')).toEqual([]);
  expect(second.eventSources).toEqual(first.eventSources);
  expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual(['shop-local-orders']);
  expect((await queues.sqs.send(new ListQueuesCommand({}))).QueueUrls).toHaveLength(2);
  expect((await queues.sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toHaveLength(1);
  expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
});

it('recreates a kept table whose primary key the template changed, and sets its TTL', async () => {
  const table = template.Resources.OrdersTable!.Properties!;
  const rekeyed = {
    ...table,
    TableName: 'shop-local-rekeyed',
    GlobalSecondaryIndexes: undefined,
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  };
  expect((await ensureTable(dynamodb, { ...rekeyed, AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }] })).action).toBe('created');
  const newKey = [{ AttributeName: 'customerId', KeyType: 'HASH' }, { AttributeName: 'orderId', KeyType: 'RANGE' }];
  expect((await ensureTable(dynamodb, { ...rekeyed, KeySchema: newKey })).action).toBe('recreated');
  expect((await dynamodb.send(new DescribeTableCommand({ TableName: 'shop-local-rekeyed' }))).Table?.KeySchema).toEqual(newKey);
  expect((await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'shop-local-rekeyed' }))).TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  expect((await ensureTable(dynamodb, { ...rekeyed, KeySchema: newKey })).action).toBe('unchanged');
  await dynamodb.send(new DeleteTableCommand({ TableName: 'shop-local-rekeyed' }));
});
