import { join } from 'node:path';
import { readServerlessConfig } from '../../../shared/serverless/read-config';

// serverless.yml as written (variables unresolved, includes inlined); CloudFormation short tags as data.
const config = readServerlessConfig(join(__dirname, '..')) as {
  params: Record<string, Record<string, unknown>>;
  provider: { iam: { role: { statements: { Action: string[] }[] } } };
  functions: Record<string, { timeout?: unknown; environment?: Record<string, unknown>; iamRoleStatements?: { Action: string[] }[] }>;
  resources: { Resources: Record<string, { Properties: Record<string, unknown> }> };
};

const stages = Object.keys(config.params).filter((stage) => stage !== 'default');
const param = (stage: string, name: string) => config.params[stage]?.[name] ?? config.params.default?.[name];

test.each(stages)('on %s the queue hides a message for 6x the consumer timeout, and a claim goes stale only after that', (stage) => {
  const timeout = Number(param(stage, 'consumeTimeoutSeconds'));
  const visibility = Number(param(stage, 'queueVisibilityTimeoutSeconds'));
  expect(visibility).toBe(6 * timeout);
  expect(config.functions.consume?.timeout).toBe('${param:consumeTimeoutSeconds}');
  expect(config.resources.Resources.EventsQueue?.Properties.VisibilityTimeout).toBe('${param:queueVisibilityTimeoutSeconds}');
  expect(config.functions.consume?.environment?.CLAIM_TIMEOUT_SECONDS).toBe('${param:queueVisibilityTimeoutSeconds}');
});

test('the local stage delivers to the record channel, the others through SES', () => {
  expect(param('local', 'deliveryChannel')).toBe('record');
  for (const stage of stages.filter((s) => s !== 'local')) expect(param(stage, 'deliveryChannel')).toBe('ses');
});

test('no IAM statement grants a wildcard action; every function has statements of its own', () => {
  for (const [name, fn] of Object.entries(config.functions)) expect({ name, own: Array.isArray(fn.iamRoleStatements) }).toEqual({ name, own: true });
  const actions = [config.provider.iam.role.statements, ...Object.values(config.functions).map((f) => f.iamRoleStatements ?? [])].flat().flatMap((s) => s.Action);
  expect(actions.length).toBeGreaterThan(0);
  for (const action of actions) expect(action).not.toMatch(/\*/);
});

test('the notifications table is keyed by order (no index to write) and its records expire (TTL expiresAt)', () => {
  const table = config.resources.Resources.NotificationsTable?.Properties;
  expect(table?.KeySchema).toEqual([
    { AttributeName: 'orderId', KeyType: 'HASH' },
    { AttributeName: 'notificationId', KeyType: 'RANGE' },
  ]);
  expect(table?.GlobalSecondaryIndexes).toBeUndefined();
  expect(table?.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
});
