import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TRANSIENT_ERROR_NAMES } from '@order-platform/shared';
import {
  ROOT,
  STACKS,
  STAGE_STACKS,
  loadTemplate,
  policyStatements,
  resourcesOfType,
  stateMachineDefinition,
  type CfnTemplate,
  type StackName,
} from './templates';

// The templates are produced by `serverless package` with no AWS credentials, in this project's
// global setup: these tests read what would deploy. The saga and messaging checks read the `local`
// stage (names differ by stage only); the checks of every template run over every stage.
const templates = Object.fromEntries(STACKS.map((s) => [s, loadTemplate(s)])) as Record<StackName, CfnTemplate>;

type State = Record<string, unknown> & { Type: string };

function sagaStates() {
  const machines = resourcesOfType(templates.order, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  const [, machine] = machines[0]!;
  expect(machine.Properties?.StateMachineName).toBe('order-local-saga');
  return stateMachineDefinition(machine) as { StartAt: string; States: Record<string, State> };
}

describe('order saga state machine', () => {
  const { StartAt, States } = sagaStates();

  test('runs ReserveInventory -> ProcessPayment -> ShipOrder -> ConfirmOrder on the happy path', () => {
    const path: string[] = [];
    for (let name: string | undefined = StartAt; name; ) {
      path.push(name);
      const state: State = States[name]!;
      name = state.End ? undefined : (state.Next as string | undefined);
    }
    expect(path.slice(0, 4)).toEqual(['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'ConfirmOrder']);
  });

  test.each(['ReserveInventory', 'ProcessPayment', 'ShipOrder'])('%s has a Catch and retries only transient errors, with jitter', (name) => {
    const state = States[name]!;
    expect(state.Type).toBe('Task');
    expect((state.Catch as unknown[]).length).toBeGreaterThan(0);
    const retries = state.Retry as Array<{ ErrorEquals: string[]; JitterStrategy?: string; BackoffRate?: number }>;
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      expect(retry.JitterStrategy).toBe('FULL');
      expect(retry.BackoffRate).toBeGreaterThan(1);
      for (const error of retry.ErrorEquals) expect(TRANSIENT_ERROR_NAMES).toContain(error);
    }
  });

  test('every Fail state is entered only after MarkOrderFailed', () => {
    const failStates = Object.entries(States).filter(([, s]) => s.Type === 'Fail').map(([n]) => n);
    expect(failStates.length).toBeGreaterThan(0);
    for (const fail of failStates) {
      const predecessors = Object.entries(States).filter(([, s]) => {
        const targets = [s.Next, s.Default, ...((s.Catch as Array<{ Next: string }> | undefined) ?? []).map((c) => c.Next), ...((s.Choices as Array<{ Next: string }> | undefined) ?? []).map((c) => c.Next)];
        return targets.includes(fail);
      });
      expect(predecessors.length).toBeGreaterThan(0);
      for (const [, predecessor] of predecessors) expect(JSON.stringify(predecessor.Resource ?? predecessor.Parameters)).toMatch(/markOrderFailed/);
    }
  });

  test('tasks invoke only the saga step functions, and the role may invoke nothing else', () => {
    const resources = Object.values(States)
      .filter((s) => s.Type === 'Task')
      .map((s) => String(s.Resource));
    for (const resource of resources) {
      expect(resource).toMatch(/function:(inventory-local-(reserve|release|ship)|payment-local-(charge|refund)|order-local-(confirmOrder|markOrderFailed))|GetAtt|Arn/);
    }
  });
});

describe('topics, queues and subscriptions', () => {
  test.each([
    ['order', 'order-local-events'],
    ['payment', 'payment-local-events'],
  ] as const)('%s owns its topic %s, encrypted', (service, topicName) => {
    const topics = resourcesOfType(templates[service], 'AWS::SNS::Topic');
    const topic = topics.find(([, t]) => t.Properties?.TopicName === topicName);
    expect(topic).toBeDefined();
    expect(topic![1].Properties?.KmsMasterKeyId).toBeDefined();
  });

  const notification = templates.notification;
  const queues = resourcesOfType(notification, 'AWS::SQS::Queue');

  test('the notification queue has a DLQ through its redrive policy', () => {
    const main = queues.find(([, q]) => q.Properties?.QueueName === 'notification-local-events');
    expect(main).toBeDefined();
    const redrive = main![1].Properties?.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(1);
    const dlqLogicalId = JSON.stringify(redrive.deadLetterTargetArn).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1];
    expect(dlqLogicalId).toBeDefined();
    expect(notification.Resources[dlqLogicalId!]?.Properties?.QueueName).toBe('notification-local-events-dlq');
    for (const [, queue] of queues) expect(queue.Properties?.SqsManagedSseEnabled ?? queue.Properties?.KmsMasterKeyId).toBeTruthy();
  });

  test('a queue policy lets only the two topics send to the queue', () => {
    const policies = resourcesOfType(notification, 'AWS::SQS::QueuePolicy');
    expect(policies.length).toBeGreaterThan(0);
    const text = JSON.stringify(policies.map(([, p]) => p.Properties));
    expect(text).toContain('sns.amazonaws.com');
    expect(text).toContain('aws:SourceArn');
    expect(text).toContain('order-local-events');
    expect(text).toContain('payment-local-events');
  });

  test('subscriptions filter the events each topic delivers', () => {
    const subscriptions = resourcesOfType(notification, 'AWS::SNS::Subscription').map(([, s]) => s.Properties!);
    const byTopic = (name: string) => subscriptions.find((s) => JSON.stringify(s.TopicArn).includes(name));
    expect(byTopic('order-local-events')?.FilterPolicy).toEqual({ eventType: ['OrderConfirmed', 'OrderFailed'] });
    expect(byTopic('payment-local-events')?.FilterPolicy).toEqual({ eventType: ['PaymentRefunded'] });
    for (const s of subscriptions) expect(s.Protocol).toBe('sqs');
  });
});

describe('streams', () => {
  test.each([
    ['order', 'order-local-orders'],
    ['payment', 'payment-local-payments'],
  ] as const)('%s table %s streams new and old images to a function', (service, tableName) => {
    const table = resourcesOfType(templates[service], 'AWS::DynamoDB::Table').find(([, t]) => t.Properties?.TableName === tableName);
    expect(table).toBeDefined();
    expect(table![1].Properties?.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = resourcesOfType(templates[service], 'AWS::Lambda::EventSourceMapping');
    expect(JSON.stringify(mappings)).toContain(table![0]);
  });
});

describe('every template of every stage', () => {
  const spec = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/@aws-cdk/cfnspec/spec/specification.json'), 'utf8'),
  ) as { ResourceTypes: Record<string, { Properties: Record<string, { Required?: boolean }> }> };

  test.each(STAGE_STACKS)('%s %s: no IAM statement allows a wildcard action', (stage, service) => {
    const statements = [...policyStatements(loadTemplate(service, stage).Resources)];
    expect(statements.length).toBeGreaterThan(0);
    // Deny statements may use wildcards (the deployment bucket's TLS-only policy denies s3:*).
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      const actions = ([] as unknown[]).concat(statement.Action ?? statement.NotAction);
      for (const action of actions) expect(String(action)).not.toContain('*');
    }
  });

  test.each(STAGE_STACKS)('%s %s: every resource is a known CloudFormation type with its required properties', (stage, service) => {
    for (const [logicalId, resource] of Object.entries(loadTemplate(service, stage).Resources)) {
      const type = spec.ResourceTypes[resource.Type];
      expect({ logicalId, known: type !== undefined }).toEqual({ logicalId, known: true });
      const required = Object.entries(type!.Properties).filter(([, p]) => p.Required).map(([name]) => name);
      for (const name of required) expect({ logicalId, [name]: resource.Properties?.[name] !== undefined }).toEqual({ logicalId, [name]: true });
    }
  });
});
