import { join } from 'node:path';
import { readServerlessConfig } from '../../../shared/serverless/read-config';
import { TTL_ATTRIBUTE } from '@order-platform/shared/aws/dynamodb';
import { inventoryTablesFromEnv } from '../src/adapters/dynamodb';
import { SAGA_TIMEOUT_MINUTES } from '../src/domain/reservation';

// serverless.yml as written (variables unresolved, includes inlined); CloudFormation short tags as data.
interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown;
}
const config = readServerlessConfig(join(__dirname, '..')) as {
  params: Record<string, Record<string, unknown>>;
  provider: { environment: Record<string, string>; iam: { role: { statements: Statement[] } } };
  functions: Record<string, { handler: string; events?: Record<string, unknown>[]; environment?: Record<string, string>; iamRoleStatements?: Statement[] }>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
};

const stages = Object.keys(config.params).filter((stage) => stage !== 'default');
const param = (stage: string, name: string) => config.params[stage]?.[name] ?? config.params.default?.[name];
const tables = config.resources.Resources;

test.each(stages)('on %s, reservations expire only after the saga could have finished', (stage) => {
  expect(Number(param(stage, 'reservationMaxAgeMinutes'))).toBeGreaterThan(SAGA_TIMEOUT_MINUTES);
  expect(config.functions.releaseExpired?.environment?.RESERVATION_MAX_AGE_MINUTES).toBe('${param:reservationMaxAgeMinutes}');
});

test('prod keeps point-in-time recovery and deletion protection on; other stages can be torn down', () => {
  expect(param('prod', 'pointInTimeRecovery')).toBe(true);
  expect(param('prod', 'deletionProtection')).toBe(true);
  for (const stage of stages.filter((s) => s !== 'prod')) expect(param(stage, 'deletionProtection')).toBe(false);
});

test('the saga steps are the functions the order saga invokes by name', () => {
  for (const name of ['reserve', 'release', 'ship']) {
    expect(config.functions[name]?.handler).toBe(`src/handlers/${name}.handler`);
    expect(config.functions[name]?.events ?? []).toEqual([]); // invoked by the state machine only
  }
});

test('every function handler is its own file under src/handlers', () => {
  for (const [name, fn] of Object.entries(config.functions)) expect(fn.handler).toBe(`src/handlers/${name}.handler`);
});

test('the handlers find the tables serverless.yml creates, and the sweeper the index', () => {
  const env = inventoryTablesFromEnv((name) => {
    const value = config.provider.environment[name];
    if (!value) throw new Error(`${name} is not set in serverless.yml`);
    return value;
  });
  expect(env.stock).toBe(tables.StockTable?.Properties.TableName);
  expect(env.reservations).toBe(tables.ReservationsTable?.Properties.TableName);
  const indexes = tables.ReservationsTable?.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
  expect(indexes.map((i) => [i.IndexName, i.KeySchema])).toEqual([
    [env.reservedByShard, [{ AttributeName: 'statusShard', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }]],
  ]);
});

test('finished reservations expire: TTL on expiresAt (the stock table holds the catalogue: no TTL)', () => {
  expect(tables.ReservationsTable?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  expect(tables.StockTable?.Properties.TimeToLiveSpecification).toBeUndefined();
});

test.each(['StockTable', 'ReservationsTable'])('%s is on demand, encrypted, with recovery and protection from params', (logicalId) => {
  expect(tables[logicalId]?.Properties).toMatchObject({
    BillingMode: 'PAY_PER_REQUEST',
    SSESpecification: { SSEEnabled: true },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: '${param:pointInTimeRecovery}' },
    DeletionProtectionEnabled: '${param:deletionProtection}',
  });
});

test('IAM: every function has its own exact DynamoDB actions on the two tables and the index; all share only X-Ray', () => {
  expect(config.provider.iam.role.statements.map((s) => [s.Effect, [...s.Action].sort(), s.Resource])).toEqual([
    ['Allow', ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], '*'],
  ]);
  const grants = (name: string) => (config.functions[name]?.iamRoleStatements ?? []).map((s) => [s.Effect, [...s.Action].sort(), s.Resource]);
  const stock = { 'Fn::GetAtt': 'StockTable.Arn' };
  const reservations = { 'Fn::GetAtt': 'ReservationsTable.Arn' };
  expect(grants('putStock')).toEqual([['Allow', ['dynamodb:UpdateItem'], stock]]);
  expect(grants('getStock')).toEqual([['Allow', ['dynamodb:GetItem'], stock]]);
  expect(grants('notAllowed')).toEqual([]);
  expect(grants('reserve')).toEqual([
    ['Allow', ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'], stock],
    ['Allow', ['dynamodb:GetItem', 'dynamodb:PutItem'], reservations],
  ]);
  // Shipping moves no stock: the reservation alone.
  expect(grants('ship')).toEqual([['Allow', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], reservations]]);
  expect(grants('release')).toEqual([
    ['Allow', ['dynamodb:UpdateItem'], stock],
    ['Allow', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], reservations],
  ]);
  expect(grants('releaseExpired')).toEqual([
    ['Allow', ['dynamodb:Query'], { 'Fn::Sub': '${ReservationsTable.Arn}/index/reservedByShard' }],
    ['Allow', ['dynamodb:UpdateItem'], stock],
    ['Allow', ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], reservations],
  ]);
});

test('catalogue writes need the admin scope; reads any valid token', () => {
  const authorizer = (name: string) => (config.functions[name]?.events?.[0]?.httpApi as { authorizer?: unknown }).authorizer;
  expect(authorizer('putStock')).toEqual({ name: 'jwt', scopes: ['order-platform/admin'] });
  expect(authorizer('getStock')).toEqual({ name: 'jwt' });
  expect(authorizer('notAllowed')).toEqual({ name: 'jwt' });
});
