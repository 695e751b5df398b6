import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { localClientConfig } from '../../src/aws-clients';
import { startDynamoDb, type RunningDynamoDb } from '../../src/components/dynamodb';
import { CheckpointStore } from '../../src/pollers/checkpoints';
import { DynamoDbStreamsApi } from '../../src/pollers/dynamodb-streams-api';
import { DynamoDbStreamPoller } from '../../src/pollers/stream-poller';
import type { StreamEventSource } from '../../src/provision/event-sources';
import { ACCOUNT, fauxqs, logger, REGION, scriptedFunction, until, type ScriptedFunction } from '../support';

/**
 * The stream poller against real DynamoDB Local: a LATEST mapping's starting position is fixed
 * (checkpointed) before the poller says it is positioned, so a record written right after the
 * stack says ready is delivered, and so is one written while the stack was stopped before the
 * mapping had delivered anything (issue 16: the first order's notification was lost that way).
 */
jest.setTimeout(60_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

let dir: string;
let dynamo: RunningDynamoDb;
let dynamodb: DynamoDBClient;
let api: DynamoDbStreamsApi;
let queues: Awaited<ReturnType<typeof fauxqs>>;
let tableCounter = 0;
const pollers: DynamoDbStreamPoller[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stream-poller-test-'));
  dynamo = await startDynamoDb({ port: await freePort(), logFile: path.join(dir, 'dynamodb.log') });
  dynamodb = new DynamoDBClient(localClientConfig(dynamo.endpoint, REGION));
  api = new DynamoDbStreamsApi(dynamo.endpoint, REGION);
  queues = await fauxqs();
});
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});
afterAll(async () => {
  dynamodb?.destroy();
  api?.close();
  await queues?.close();
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function tableWithStream(): Promise<string> {
  const tableName = `stream-test-${(tableCounter += 1)}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return tableName;
}

const put = (tableName: string, id: string) => dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));

function startPoller(tableName: string, checkpoints: CheckpointStore, fn: ScriptedFunction): DynamoDbStreamPoller {
  const source: StreamEventSource = {
    kind: 'dynamodb-stream',
    id: `test/${tableName}`,
    target: { functionName: 'test-local-publish', timeoutSeconds: 5 },
    tableName,
    streamArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}/stream/test`,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    startingPosition: 'LATEST',
    maximumRetryAttempts: 3,
    maximumRecordAgeSeconds: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: true,
  };
  const poller = new DynamoDbStreamPoller({
    source,
    api,
    dynamodb,
    invoke: fn.invoke,
    checkpoints,
    destinations: { sqs: queues.sqs, sns: queues.sns, sqsEndpoint: queues.server.endpoint, accountId: ACCOUNT },
    region: REGION,
    accountId: ACCOUNT,
    logger,
    idleMs: 50,
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

const idsOf = (fn: ScriptedFunction) => fn.events.flatMap((event) => (event as DynamoDBStreamEvent).Records.map((record) => record.dynamodb!.Keys!.id!.S));

it('LATEST starts after what the table held, and delivers a record written the moment it is positioned', async () => {
  const tableName = await tableWithStream();
  await put(tableName, 'before-the-mapping');
  const fn = scriptedFunction(() => ({ payload: {} }));
  const poller = startPoller(tableName, new CheckpointStore(undefined), fn);
  await poller.positioned;
  await put(tableName, 'right-after-ready');
  await until(() => idsOf(fn).includes('right-after-ready'));
  expect(idsOf(fn)).toEqual(['right-after-ready']);
});

it('a restart before the first delivery resumes where the mapping began, not at a new LATEST', async () => {
  const tableName = await tableWithStream();
  const file = path.join(dir, `${tableName}-checkpoints.json`);
  const first = scriptedFunction(() => ({ payload: {} }));
  const poller = startPoller(tableName, new CheckpointStore(file), first);
  await poller.positioned;
  await poller.stop();
  pollers.splice(pollers.indexOf(poller), 1);

  // Written while no poller runs (as by a service during the stack's shutdown).
  await put(tableName, 'while-stopped');
  const second = scriptedFunction(() => ({ payload: {} }));
  await startPoller(tableName, new CheckpointStore(file), second).positioned;
  await until(() => idsOf(second).includes('while-stopped'));
  expect(idsOf(first)).toEqual([]);
  expect(idsOf(second)).toEqual(['while-stopped']);
});
