import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { readServerlessConfig } from '../../shared/serverless/read-config';
import { NARROW_WILDCARD_RESOURCES, WILDCARD_RESOURCE_ALLOW_LIST, KEY_POLICY_RESOURCE } from './iam-allow-list';
import { ROOT, SERVICES, STACKS, STAGES, loadStageTemplates, resourcesOfType, type CfnResource, type Stage, type ServiceName, type StackName } from './templates';

// Issue 8 (security and production readiness) over the packaged templates of every stage (local,
// dev, prod): the same roles, encryption, authorizers and alarms on each; only param values differ
// (stages.test.ts checks those differences, and the prod values are checked in serverless.yml below).
const ADMIN_SCOPE = 'order-platform/admin';

type Statement = { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: unknown; NotResource?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A resource value as text: intrinsics spelled out, enough to see names and wildcards. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value && typeof value === 'object') {
    const [fn, arg] = Object.entries(value)[0]!;
    if (fn === 'Fn::Sub') return Array.isArray(arg) ? String(arg[0]) : String(arg);
    if (fn === 'Fn::Join') return (arg as [string, unknown[]])[1].map(text).join((arg as [string, unknown[]])[0]);
    if (fn === 'Fn::GetAtt') return `{GetAtt ${list(arg as string | string[]).join('.')}}`;
    if (fn === 'Ref') return `{Ref ${String(arg)}}`;
    return JSON.stringify(value);
  }
  return String(value);
}

function roleStatements(role: CfnResource): Statement[] {
  const policies = (role.Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

/** One stage's templates, roles and functions. */
function stageView(stage: Stage) {
  const templates = loadStageTemplates(stage);
  const roles = STACKS.flatMap((service) => resourcesOfType(templates[service], 'AWS::IAM::Role').map(([id, role]) => ({ service, id, role })));
  const functions = SERVICES.flatMap((service) =>
    resourcesOfType(templates[service], 'AWS::Lambda::Function').map(([id, fn]) => ({
      service,
      id,
      name: String(fn.Properties?.FunctionName),
      role: (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
      env: ((fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}),
    })),
  );
  return { templates, roles, functions };
}

/** The AWS actions each function's own role grants beyond its logs and X-Ray, as the handlers use them (by <service>-<function>; deployed as <service>-<stage>-<function>). */
const EXPECTED_GRANTS: Record<string, string[]> = {
  'order-createOrder': ['dynamodb:GetItem', 'dynamodb:PutItem', 'lambda:InvokeFunction', 'states:StartExecution'],
  'order-getOrder': ['dynamodb:GetItem'],
  'order-listOrders': ['dynamodb:BatchGetItem', 'dynamodb:Query'],
  'order-notAllowed': [],
  'order-confirmOrder': ['dynamodb:UpdateItem'],
  'order-markOrderFailed': ['dynamodb:UpdateItem'],
  'order-publish': ['dynamodb:DescribeStream', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'sns:Publish', 'sqs:SendMessage', 'states:StartExecution'],
  'inventory-putStock': ['dynamodb:UpdateItem'],
  'inventory-getStock': ['dynamodb:GetItem'],
  'inventory-lookupSkus': ['dynamodb:BatchGetItem'],
  'inventory-notAllowed': [],
  'inventory-reserve': ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  'inventory-release': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  'inventory-ship': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  'inventory-releaseExpired': ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  'payment-charge': ['dynamodb:GetItem', 'dynamodb:PutItem', 'ssm:GetParameter'],
  'payment-refund': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'ssm:GetParameter'],
  'payment-publish': ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'sns:Publish', 'sqs:SendMessage'],
  'payment-getPayment': ['dynamodb:GetItem'],
  'payment-notAllowed': [],
  'notification-consume': ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'ses:SendEmail', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
  'notification-listNotifications': ['dynamodb:Query'],
  'notification-notAllowed': [],
};
const BASELINE = new Set(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
const deployedName = (name: string, stage: Stage) => name.replace(/^([a-z]+)-/, `$1-${stage}-`);

// Every check below runs over each stage's templates.
describe.each(STAGES)('%s stage', (STAGE) => {
  const { templates, roles, functions } = stageView(STAGE);

  describe('least privilege: IAM roles', () => {
    test('every statement of every role names exact resources, or `*` only for actions on the allow list', () => {
      const violations: string[] = [];
      for (const { service, id, role } of roles) {
        for (const statement of roleStatements(role)) {
          const where = `${service}/${id} ${statement.Sid ?? JSON.stringify(statement.Action)}`;
          const actions = list(statement.Action);
          if (statement.NotAction !== undefined || statement.NotResource !== undefined) violations.push(`${where}: NotAction/NotResource`);
          for (const action of actions) if (action.includes('*')) violations.push(`${where}: wildcard action ${action}`);
          for (const resource of list(statement.Resource)) {
            const value = text(resource);
            if (value === '*') {
              const grant = WILDCARD_RESOURCE_ALLOW_LIST.find((g) => actions.every((a) => g.actions.includes(a)));
              if (!grant || statement.Effect !== 'Allow') violations.push(`${where}: Resource '*' for ${actions.join(', ')} (not on the allow list)`);
            } else if (value.includes('*') && !NARROW_WILDCARD_RESOURCES.some((pattern) => pattern.test(value))) {
              violations.push(`${where}: wildcard in resource ${value}`);
            }
          }
        }
      }
      expect(violations).toEqual([]);
    });

    test('every function has a role of its own, assumable by Lambda only; no shared default role is left', () => {
      expect(functions.length).toBe(Object.keys(EXPECTED_GRANTS).length);
      const byRole = new Map<string, string[]>();
      for (const fn of functions) byRole.set(`${fn.service}/${fn.role}`, [...(byRole.get(`${fn.service}/${fn.role}`) ?? []), fn.name]);
      for (const [role, users] of byRole) expect({ role, users: users.length }).toEqual({ role, users: 1 });
      for (const { service, id, role } of roles) {
        expect({ service, id, defaultRole: id === 'IamRoleLambdaExecution' }).toEqual({ service, id, defaultRole: false });
        const trust = (role.Properties?.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
        const principals = trust.flatMap((s) => list((s.Principal as { Service?: string | string[] }).Service));
        expect(principals).toEqual([id === 'OrderSagaRole' ? 'states.amazonaws.com' : 'lambda.amazonaws.com']);
      }
    });

    test.each(Object.entries(EXPECTED_GRANTS))("%s's role grants exactly what its code uses", (name, expected) => {
      const fn = functions.find((f) => f.name === deployedName(name, STAGE));
      expect(fn).toBeDefined();
      const role = templates[fn!.service].Resources[fn!.role]!;
      const actions = new Set(roleStatements(role).flatMap((s) => list(s.Action)));
      expect([...actions].filter((a) => !BASELINE.has(a)).sort()).toEqual(expected);
      // Logs: only the function's own log group.
      const logResources = roleStatements(role).filter((s) => list(s.Action).some((a) => a.startsWith('logs:'))).flatMap((s) => list(s.Resource).map(text));
      for (const resource of logResources) expect(resource).toContain(`:log-group:/aws/lambda/${fn!.name}:`);
    });

    test('the saga may invoke its seven step functions and nothing else', () => {
      const saga = templates.order.Resources.OrderSagaRole!;
      const statements = roleStatements(saga);
      const invokes = statements.filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')));
      expect(invokes.flatMap((s) => list(s.Action))).toEqual(['lambda:InvokeFunction']);
      const targets = invokes.flatMap((s) => list(s.Resource).map(text)).map((arn) => arn.replace(/^.*:function:/, '')).sort();
      expect(targets).toEqual(
        [
          `inventory-${STAGE}-reserve`,
          `inventory-${STAGE}-release`,
          `inventory-${STAGE}-ship`,
          `payment-${STAGE}-charge`,
          `payment-${STAGE}-refund`,
          `order-${STAGE}-confirmOrder`,
          `order-${STAGE}-markOrderFailed`,
        ].sort(),
      );
      const machine = templates.order.Resources.OrderSaga!;
      expect(machine.Properties?.RoleArn).toEqual({ 'Fn::GetAtt': ['OrderSagaRole', 'Arn'] });
    });
  });

  describe('resource policies', () => {
    // A Deny may be broad (the framework's deployment bucket denies s3:* without TLS); what is allowed may not.
    test('KMS key policies are the only resource policies allowing on Resource "*" (there: this key); no allow has a wildcard action', () => {
      for (const service of STACKS) {
        for (const [id, resource] of Object.entries(templates[service].Resources)) {
          const document = (resource.Properties?.PolicyDocument ?? resource.Properties?.KeyPolicy) as { Statement: Statement[] } | undefined;
          if (!document) continue;
          for (const statement of document.Statement.filter((s) => s.Effect === 'Allow')) {
            for (const action of list(statement.Action)) expect({ id, action, wildcard: action.includes('*') }).toEqual({ id, action, wildcard: false });
            expect({ id, notAction: statement.NotAction, notResource: statement.NotResource }).toEqual({ id, notAction: undefined, notResource: undefined });
            const star = list(statement.Resource).some((r) => text(r) === '*');
            if (star) expect({ id, type: resource.Type }).toEqual({ id, type: 'AWS::KMS::Key' });
            if (resource.Type === 'AWS::KMS::Key') expect(list(statement.Resource)).toEqual([KEY_POLICY_RESOURCE]);
          }
        }
      }
    });

    test.each([
      ['order', 'OrderEventsTopicPolicy'],
      ['payment', 'PaymentEventsTopicPolicy'],
    ] as const)("%s's event topic accepts subscriptions only from the project's own queues, over TLS", (service, policyId) => {
      const statements = (templates[service].Resources[policyId]!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
      const denies = statements.filter((s) => s.Effect === 'Deny' && list(s.Action).includes('sns:Subscribe'));
      const protocol = denies.find((s) => s.Condition?.StringNotEquals?.['sns:Protocol'] === 'sqs');
      expect(protocol?.Principal).toBe('*');
      const endpoint = denies.find((s) => s.Condition?.StringNotLike?.['sns:Endpoint'] !== undefined);
      expect(endpoint?.Principal).toBe('*');
      const patterns = list(endpoint!.Condition!.StringNotLike!['sns:Endpoint']).map(text);
      expect(patterns).toEqual(
        ['order', 'inventory', 'payment', 'notification'].map((s) => `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:${s}-${STAGE}-*`),
      );
      // The notification queue that does subscribe matches them.
      const queueName = templates.notification.Resources.EventsQueue!.Properties!.QueueName as string;
      expect(patterns.some((p) => new RegExp(`^${p.replace(/^.*:/, '').replace(/\*/g, '.*')}$`).test(queueName))).toBe(true);
      expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    });

    test('the notification queue accepts messages only from the two event topics', () => {
      const statements = (templates.notification.Resources.EventsQueuePolicy!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Principal).toEqual({ Service: 'sns.amazonaws.com' });
      expect(list(statements[0]!.Condition?.ArnEquals?.['aws:SourceArn']).map(text)).toEqual([
        `arn:aws:sns:\${AWS::Region}:\${AWS::AccountId}:order-${STAGE}-events`,
        `arn:aws:sns:\${AWS::Region}:\${AWS::AccountId}:payment-${STAGE}-events`,
      ]);
    });
  });

  describe('encryption at rest, recovery, retention', () => {
    test.each(SERVICES)('%s: every table is encrypted, with point-in-time recovery and deletion protection set', (service) => {
      const tables = resourcesOfType(templates[service], 'AWS::DynamoDB::Table');
      expect(tables.length).toBeGreaterThan(0);
      for (const [id, table] of tables) {
        expect({ id, sse: table.Properties?.SSESpecification }).toEqual({ id, sse: { SSEEnabled: true } });
        expect({ id, pitr: typeof (table.Properties?.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: unknown })?.PointInTimeRecoveryEnabled }).toEqual({ id, pitr: 'boolean' });
        expect({ id, protection: typeof table.Properties?.DeletionProtectionEnabled }).toEqual({ id, protection: 'boolean' });
      }
    });

    test.each(STACKS)('%s: every topic is encrypted with KMS and every queue with SSE', (service) => {
      for (const [id, topic] of resourcesOfType(templates[service], 'AWS::SNS::Topic')) expect({ id, kms: Boolean(topic.Properties?.KmsMasterKeyId) }).toEqual({ id, kms: true });
      for (const [id, queue] of resourcesOfType(templates[service], 'AWS::SQS::Queue')) {
        expect({ id, sse: queue.Properties?.SqsManagedSseEnabled === true || Boolean(queue.Properties?.KmsMasterKeyId) }).toEqual({ id, sse: true });
      }
    });

    test.each(SERVICES)('%s: every log group has a retention; every function logs to one', (service) => {
      const groups = resourcesOfType(templates[service], 'AWS::Logs::LogGroup');
      for (const [id, group] of groups) expect({ id, retention: Number(group.Properties?.RetentionInDays) > 0 }).toEqual({ id, retention: true });
      const names = groups.map(([, g]) => g.Properties?.LogGroupName);
      for (const fn of functions.filter((f) => f.service === service)) expect(names).toContain(`/aws/lambda/${fn.name}`);
    });

    // The stage values live in serverless.yml params: prod keeps recovery and protection on.
    test.each(SERVICES)('%s: tables take recovery and protection from stage params that prod turns on', (service) => {
      const config = serverlessYml(service);
      const param = (stage: string, name: string) => config.params[stage]?.[name] ?? config.params.default?.[name];
      expect(param('prod', 'pointInTimeRecovery')).toBe(true);
      expect(param('prod', 'deletionProtection')).toBe(true);
      expect(Number(param('prod', 'logRetentionDays'))).toBeGreaterThanOrEqual(30);
      for (const table of Object.values(config.resources.Resources).filter((r) => r.Type === 'AWS::DynamoDB::Table')) {
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: '${param:pointInTimeRecovery}' });
        expect(table.Properties.DeletionProtectionEnabled).toBe('${param:deletionProtection}');
      }
    });

    test("the payment provider's key is read from SSM in AWS, by the two functions that charge and refund only", () => {
      const config = serverlessYml('payment');
      expect(config.params.default?.providerApiKeyParam).toBe('/order-platform/${sls:stage}/payment/provider-api-key');
      const readers = functions.filter((f) => f.env.PAYMENT_PROVIDER_API_KEY_PARAM !== undefined).map((f) => f.name).sort();
      expect(readers).toEqual([`payment-${STAGE}-charge`, `payment-${STAGE}-refund`]);
      for (const fn of functions) expect(Object.keys(fn.env).filter((k) => /SECRET|API_KEY$|PASSWORD/.test(k))).toEqual([]);
    });
  });

  describe('authentication', () => {
    const auth = yaml.load(readFileSync(path.join(ROOT, 'shared/serverless/auth.yml'), 'utf8')) as Record<string, { mode: string; issuerUrl: string; audience: string[] }>;

    test.each(SERVICES)('%s: one JWT authorizer with the stage issuer and audience, on every route', (service) => {
      const authorizers = resourcesOfType(templates[service], 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]![1].Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: auth[STAGE]!.issuerUrl, Audience: auth[STAGE]!.audience },
      });
      const routes = resourcesOfType(templates[service], 'AWS::ApiGatewayV2::Route');
      expect(routes.length).toBeGreaterThan(0);
      for (const [, route] of routes) {
        expect({ route: route.Properties?.RouteKey, type: route.Properties?.AuthorizationType }).toEqual({ route: route.Properties?.RouteKey, type: 'JWT' });
      }
    });

    test('operator routes need the admin scope; customer routes any valid token', () => {
      const scoped = SERVICES.flatMap((service) =>
        resourcesOfType(templates[service], 'AWS::ApiGatewayV2::Route')
          .filter(([, r]) => r.Properties?.AuthorizationScopes !== undefined)
          .map(([, r]) => [r.Properties?.RouteKey, r.Properties?.AuthorizationScopes]),
      );
      expect(scoped.sort()).toEqual(
        [
          ['GET /notifications', [ADMIN_SCOPE]],
          ['GET /payments/{orderId}', [ADMIN_SCOPE]],
          ['PUT /inventory/{sku}', [ADMIN_SCOPE]],
        ].sort(),
      );
    });

    test('every stage names its issuer; only local verifies in the functions, against the development key set', () => {
      for (const [stage, settings] of Object.entries(auth)) {
        expect({ stage, mode: settings.mode }).toEqual({ stage, mode: stage === 'local' ? 'local-jwks' : 'api-gateway' });
      }
      expect(auth.local).toMatchObject({ issuerUrl: 'http://127.0.0.1/local-issuer', audience: ['order-platform-local'] });
      for (const fn of functions) {
        // The functions check the audience themselves only where they verify the token (local).
        expect(fn.env).toMatchObject({ AUTH_MODE: auth[STAGE]!.mode, AUTH_ISSUER: auth[STAGE]!.issuerUrl, AUTH_AUDIENCE: STAGE === 'local' ? auth.local!.audience[0] : '' });
        // On an AWS stage API Gateway verifies the token: the functions have no key file.
        expect({ fn: fn.name, jwks: fn.env.AUTH_JWKS_FILE }).toEqual({ fn: fn.name, jwks: STAGE === 'local' ? path.join(ROOT, '.local', 'auth', 'jwks.json') : '' });
      }
      for (const service of SERVICES) {
        const params = serverlessYml(service).params;
        expect(params.default?.authJwksFile).toBe('');
        expect(params.default?.authJwksAudience).toBe('');
        for (const stage of Object.keys(params).filter((s) => s !== 'local' && s !== 'default')) {
          expect(params[stage]?.authJwksFile).toBeUndefined();
          expect(params[stage]?.authJwksAudience).toBeUndefined();
        }
      }
    });
  });

  test("AWS stages: the issuer and the two app clients are the platform's user pool, resolved from SSM at deploy (no placeholder)", () => {
    const auth = yaml.load(readFileSync(path.join(ROOT, 'shared/serverless/auth.yml'), 'utf8')) as Record<string, { mode: string; issuerUrl: string; audience: string[] }>;
    const ssm = (stage: string, name: string) => `{{resolve:ssm:/order-platform/${stage}/auth/${name}}}`;
    for (const stage of Object.keys(auth).filter((s) => s !== 'local')) {
      expect({ stage, ...auth[stage] }).toEqual({
        stage,
        mode: 'api-gateway',
        issuerUrl: ssm(stage, 'issuer'),
        audience: [ssm(stage, 'customer-client-id'), ssm(stage, 'operator-client-id')],
      });
    }
    // ...which the platform stack writes, from its user pool and clients.
    const parameters = Object.fromEntries(
      resourcesOfType(templates.platform, 'AWS::SSM::Parameter').map(([, p]) => [String(p.Properties!.Name).replace(`/order-platform/${STAGE}/auth/`, ''), p.Properties!.Value]),
    );
    expect(parameters).toMatchObject({
      issuer: { 'Fn::GetAtt': ['UserPool', 'ProviderURL'] },
      'user-pool-id': { Ref: 'UserPool' },
      'customer-client-id': { Ref: 'CustomerClient' },
      'operator-client-id': { Ref: 'OperatorClient' },
    });
  });

  describe('the identity provider (platform stack)', () => {
    const resources = () => templates.platform.Resources;

    test('customers: a public app client (no secret, SRP sign-in); operators: client credentials with a secret and only the admin scope', () => {
      expect(resources().CustomerClient!.Properties).toMatchObject({ UserPoolId: { Ref: 'UserPool' }, GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      expect(resources().CustomerClient!.Properties).not.toHaveProperty('AllowedOAuthFlows');
      expect(resources().OperatorClient!.Properties).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [ADMIN_SCOPE] });
      const server = resources().AdminResourceServer!.Properties as { Identifier: string; Scopes: Array<{ ScopeName: string }> };
      expect(server.Scopes.map((s) => `${server.Identifier}/${s.ScopeName}`)).toEqual([ADMIN_SCOPE]);
      expect(resources().UserPoolDomain!.Properties?.Domain).toEqual({ 'Fn::Sub': `order-platform-${STAGE}-\${AWS::AccountId}` });
    });

    test("no secret leaves Cognito: neither a parameter nor an output holds the operators' client secret", () => {
      expect(JSON.stringify(templates.platform)).not.toMatch(/ClientSecret/);
    });
  });

  describe('alarms into the ops topic', () => {
    const OPS_TOPIC_ARN = `arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:platform-${STAGE}-ops-alarms`;
    const alarms = STACKS.flatMap((service) => resourcesOfType(templates[service], 'AWS::CloudWatch::Alarm').map(([id, alarm]) => ({ service, id, props: alarm.Properties! })));

    /** Every metric an alarm watches (plain or in metric math), as namespace/name/dimension=value. */
    function watched(props: Record<string, unknown>): string[] {
      const metrics = props.MetricName
        ? [{ Namespace: props.Namespace, MetricName: props.MetricName, Dimensions: props.Dimensions }]
        : ((props.Metrics ?? []) as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>).filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
      return metrics.map((m) => `${m.Namespace}/${m.MetricName} ${list(m.Dimensions as Array<{ Name: string; Value: unknown }>).map((d) => `${d.Name}=${text(d.Value)}`).join(',')}`);
    }
    const alarmsOn = (service: StackName, metric: string) => alarms.filter((a) => a.service === service && watched(a.props).some((w) => w.startsWith(metric)));

    test("the ops topic (the platform stack's): encrypted with its own key, which CloudWatch may use, and publishable by CloudWatch", () => {
      const topic = templates.platform.Resources.OpsAlarmsTopic!;
      expect(topic.Properties).toMatchObject({ TopicName: `platform-${STAGE}-ops-alarms`, KmsMasterKeyId: { Ref: 'OpsAlarmsKey' } });
      const key = templates.platform.Resources.OpsAlarmsKey!.Properties!;
      expect(key.EnableKeyRotation).toBe(true);
      const keyStatements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
      expect(keyStatements.find((s) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'))?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      const topicStatements = (templates.platform.Resources.OpsAlarmsTopicPolicy!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(topicStatements.find((s) => s.Effect === 'Allow')).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' });
    });

    test('every alarm notifies the ops topic when it fires and when it clears', () => {
      expect(alarms.length).toBeGreaterThan(0);
      for (const { service, id, props } of alarms) {
        // Every stack reaches the topic by its predictable name, so each packages alone.
        const expected = [{ 'Fn::Sub': OPS_TOPIC_ARN }];
        expect({ service, id, actions: props.AlarmActions, ok: props.OKActions }).toEqual({ service, id, actions: expected, ok: expected });
        expect({ id, missing: props.TreatMissingData }).toEqual({ id, missing: 'notBreaching' });
      }
    });

    test.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])('saga: %s', (metric) => {
      const found = alarmsOn('order', `AWS/States/${metric} StateMachineArn={Ref OrderSaga}`);
      expect(found).toHaveLength(1);
    });

    test.each([
      ['order', `order-${STAGE}-publish-dlq`],
      ['payment', `payment-${STAGE}-publish-dlq`],
      ['notification', `notification-${STAGE}-events-dlq`],
    ] as const)('%s: any message in the DLQ %s', (service, queueName) => {
      const [queueId] = resourcesOfType(templates[service], 'AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === queueName)!;
      const found = alarmsOn(service, `AWS/SQS/ApproximateNumberOfMessagesVisible QueueName={GetAtt ${queueId}.QueueName}`);
      expect(found).toHaveLength(1);
      expect(found[0]!.props).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    test('every queue whose name says DLQ has that alarm', () => {
      for (const service of SERVICES) {
        for (const [id, queue] of resourcesOfType(templates[service], 'AWS::SQS::Queue')) {
          if (!String(queue.Properties?.QueueName).endsWith('-dlq')) continue;
          expect({ id, alarms: alarmsOn(service, `AWS/SQS/ApproximateNumberOfMessagesVisible QueueName={GetAtt ${id}.QueueName}`).length }).toEqual({ id, alarms: 1 });
        }
      }
    });

    test.each(SERVICES)('%s: the HTTP API 5xx rate', (service) => {
      expect(alarmsOn(service, 'AWS/ApiGateway/5xx ApiId={Ref HttpApi}')).toHaveLength(1);
    });

    test('every DynamoDB table: throttled reads and writes, of the table and of each index', () => {
      let tables = 0;
      for (const service of SERVICES) {
        for (const [id, table] of resourcesOfType(templates[service], 'AWS::DynamoDB::Table')) {
          tables += 1;
          const indexes = ((table.Properties?.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string }>).map((index) => index.IndexName);
          for (const kind of ['Read', 'Write']) {
            expect({ id, kind, alarms: alarmsOn(service, `AWS/DynamoDB/${kind}ThrottleEvents TableName={Ref ${id}}`).length }).toEqual({ id, kind, alarms: 1 });
            for (const index of indexes) {
              const found = alarmsOn(service, `AWS/DynamoDB/${kind}ThrottleEvents TableName={Ref ${id}},GlobalSecondaryIndexName=${index}`);
              expect({ id, index, kind, alarms: found.length }).toEqual({ id, index, kind, alarms: 1 });
            }
          }
        }
      }
      expect(tables).toBeGreaterThanOrEqual(5);
    });

    test('saga: throttled state transitions (ExecutionThrottled) and throttled StartExecution calls', () => {
      expect(alarmsOn('order', 'AWS/States/ExecutionThrottled StateMachineArn={Ref OrderSaga}')).toHaveLength(1);
      const start = alarmsOn('order', 'AWS/States/ThrottledEvents APIName=StartExecution');
      expect(start).toHaveLength(1);
      expect(start[0]!.props).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    test('every function: errors and throttles', () => {
      for (const fn of functions) {
        const errors = alarmsOn(fn.service, `AWS/Lambda/Errors FunctionName={Ref ${fn.id}}`);
        const throttles = alarmsOn(fn.service, `AWS/Lambda/Throttles FunctionName={Ref ${fn.id}}`);
        expect({ fn: fn.name, errors: errors.length, throttles: throttles.length }).toEqual({ fn: fn.name, errors: 1, throttles: 1 });
      }
    });

    test('a dashboard for the saga (in the platform stack): executions, duration, step errors', () => {
      expect(STACKS.filter((stack) => resourcesOfType(templates[stack], 'AWS::CloudWatch::Dashboard').length > 0)).toEqual(['platform']);
      const dashboards = resourcesOfType(templates.platform, 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.parse(text(dashboards[0]![1].Properties?.DashboardBody).replace(/\$\{[^}]+\}/g, 'X')) as { widgets: Array<{ properties: { metrics?: unknown[][] } }> };
      const metrics = body.widgets.flatMap((w) => w.properties.metrics ?? []).map((m) => `${m[0]}/${m[1]} ${m[3]}`);
      for (const metric of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionTime']) {
        expect(metrics).toContain(`AWS/States/${metric} X`);
      }
      for (const step of ['inventory-reserve', 'payment-charge', 'inventory-ship', 'order-confirmOrder', 'inventory-release', 'payment-refund', 'order-markOrderFailed'].map((n) => deployedName(n, STAGE))) {
        expect(text(dashboards[0]![1].Properties?.DashboardBody)).toContain(`"Errors", "FunctionName", "${step}"`);
      }
    });
  });
});

// ---- serverless.yml as written, its includes inlined (for the per-stage values a packaged template cannot show).

interface ServerlessYml {
  params: Record<string, Record<string, unknown> | undefined>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
}

function serverlessYml(service: ServiceName): ServerlessYml {
  return readServerlessConfig(path.join(ROOT, 'services', service)) as unknown as ServerlessYml;
}
