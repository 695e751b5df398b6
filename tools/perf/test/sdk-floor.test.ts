import { sdkFloorSource, sdkUsage } from '../src/sdk-floor';

const inputs = [
  'node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js',
  'node_modules/@aws-sdk/client-dynamodb/dist-es/commands/TransactWriteItemsCommand.js',
  'node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocumentClient.js',
  'node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/PutCommand.js',
  'node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/GetCommand.js',
  'node_modules/@aws-sdk/client-sfn/dist-es/SFNClient.js',
  'node_modules/@aws-sdk/client-sfn/dist-es/commands/StartExecutionCommand.js',
  'node_modules/@smithy/core/dist-es/submodules/client/client.js',
  'services/order/src/handlers/createOrder.ts',
];

describe('the SDK floor of a function', () => {
  it('finds the clients, their commands and the DocumentClient in the metafile inputs', () => {
    expect(sdkUsage(inputs)).toEqual({
      clients: [
        { packageName: '@aws-sdk/client-dynamodb', className: 'DynamoDBClient', commands: ['TransactWriteItemsCommand'] },
        { packageName: '@aws-sdk/client-sfn', className: 'SFNClient', commands: ['StartExecutionCommand'] },
      ],
      documentClient: { commands: ['GetCommand', 'PutCommand'] },
    });
  });

  it('is empty for a bundle with no SDK client (a 405 handler)', () => {
    expect(sdkUsage(['shared/src/lambda/method-not-allowed.ts'])).toEqual({ clients: [], documentClient: null });
  });

  it('writes an entry that constructs each client once and keeps every command', () => {
    const source = sdkFloorSource(sdkUsage(inputs));
    expect(source).toContain("import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';");
    expect(source).toContain("import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';");
    expect(source).toContain('const client0 = new DynamoDBClient({});');
    expect(source).toContain('const client1 = new SFNClient({});');
    expect(source).toContain('DynamoDBDocumentClient.from(client0, ');
    expect(source).toContain('export const kept: unknown[] = [client0, TransactWriteItemsCommand, client1, StartExecutionCommand, documentClient, GetCommand, PutCommand];');
    expect(source).toContain('export const handler = ');
  });
});
