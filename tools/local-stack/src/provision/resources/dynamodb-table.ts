import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { requireString } from './properties';

export interface TableOutcome {
  tableName: string;
  /** recreated: the kept table's primary key differs from the template's, and a key cannot change in place. */
  action: 'created' | 'recreated' | 'updated' | 'unchanged';
  /** DynamoDB Local's own stream ARN (region "ddblocal", its account), when the table has a stream. */
  localStreamArn?: string;
}

type Props = Record<string, unknown>;

/** CloudFormation's AWS::DynamoDB::Table properties → CreateTable input (what DynamoDB Local honours). */
export function createTableInput(props: Props): CreateTableCommandInput {
  const billingMode = (props.BillingMode as string | undefined) ?? 'PROVISIONED';
  const throughput = (value: unknown) =>
    billingMode === 'PROVISIONED'
      ? ((value as CreateTableCommandInput['ProvisionedThroughput']) ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
      : undefined;
  const stream = props.StreamSpecification as { StreamViewType?: string } | undefined;
  const gsis = (props.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined)?.map(
    (index): GlobalSecondaryIndex => ({
      IndexName: index.IndexName as string,
      KeySchema: index.KeySchema as GlobalSecondaryIndex['KeySchema'],
      Projection: index.Projection as GlobalSecondaryIndex['Projection'],
      ProvisionedThroughput: throughput(index.ProvisionedThroughput),
    }),
  );
  return {
    TableName: requireString(props, 'TableName'),
    AttributeDefinitions: props.AttributeDefinitions as AttributeDefinition[],
    KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    BillingMode: billingMode as CreateTableCommandInput['BillingMode'],
    ProvisionedThroughput: throughput(props.ProvisionedThroughput),
    GlobalSecondaryIndexes: gsis?.length ? gsis : undefined,
    LocalSecondaryIndexes: props.LocalSecondaryIndexes as CreateTableCommandInput['LocalSecondaryIndexes'],
    // CloudFormation has no StreamEnabled: a StreamViewType means the stream is on.
    StreamSpecification: stream?.StreamViewType ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_IMAGE' } : undefined,
    DeletionProtectionEnabled: props.DeletionProtectionEnabled === true || props.DeletionProtectionEnabled === 'true' ? true : undefined,
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

const keyOf = (schema: CreateTableCommandInput['KeySchema']) => JSON.stringify((schema ?? []).map(({ AttributeName, KeyType }) => [AttributeName, KeyType]));

/**
 * Creates the table, or brings an existing one (kept in .local/ from an earlier run) up to the
 * template: missing GSIs and a missing stream are added. Only a table whose primary key changed
 * is dropped and created again (its items could not be read under the new key anyway).
 */
export async function ensureTable(client: DynamoDBClient, props: Props): Promise<TableOutcome> {
  const input = createTableInput(props);
  const tableName = input.TableName!;
  let table = await describe(client, tableName);
  let action: TableOutcome['action'] = 'unchanged';
  if (table && keyOf(table.KeySchema) !== keyOf(input.KeySchema)) {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    table = (await client.send(new CreateTableCommand(input))).TableDescription;
    action = 'recreated';
  } else if (!table) {
    table = (await client.send(new CreateTableCommand(input))).TableDescription;
    action = 'created';
  } else {
    const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of input.GlobalSecondaryIndexes ?? []) {
      if (existing.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: input.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      action = 'updated';
    }
    if (input.StreamSpecification && !table.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: input.StreamSpecification }));
      action = 'updated';
    }
    if (action === 'updated') table = await describe(client, tableName);
  }
  if (await ensureTimeToLive(client, tableName, props.TimeToLiveSpecification)) action = action === 'unchanged' ? 'updated' : action;
  return { tableName, action, localStreamArn: table?.LatestStreamArn };
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string, spec: unknown): Promise<boolean> {
  const ttl = spec as { AttributeName?: string; Enabled?: boolean | string } | undefined;
  if (!ttl?.AttributeName || !(ttl.Enabled === true || ttl.Enabled === 'true')) return false;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return false;
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }),
  );
  return true;
}
