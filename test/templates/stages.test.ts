import path from 'node:path';
import { readServerlessConfig } from '../../shared/serverless/read-config';
import { ROOT, SERVICES, STACKS, STAGES, loadStageTemplates, resourcesOfType, type CfnTemplate, type ServiceName, type Stage, type StackName } from './templates';

// What differs between the stages: each packaged template carries its stage's params
// (shared/serverless/params.yml under each serverless.yml's custom.params), and prod keeps
// recovery, protection and long retention on.
const templates = Object.fromEntries(STAGES.map((stage) => [stage, loadStageTemplates(stage)])) as Record<Stage, Record<StackName, CfnTemplate>>;
const params = Object.fromEntries(
  SERVICES.map((service) => [service, readServerlessConfig(path.join(ROOT, 'services', service)).params as Record<string, Record<string, unknown> | undefined>]),
) as Record<ServiceName, Record<string, Record<string, unknown> | undefined>>;

/** A service's param on a stage, as the framework picks it: the stage's value, else the default. */
function param(service: ServiceName, stage: Stage, name: string): unknown {
  const own = params[service][stage];
  return own && name in own ? own[name] : params[service].default?.[name];
}

const cases = STAGES.flatMap((stage) => SERVICES.map((service) => [stage, service] as const));

test.each(cases)('%s %s: every table has the point-in-time recovery and deletion protection of its stage', (stage, service) => {
  const tables = resourcesOfType(templates[stage][service], 'AWS::DynamoDB::Table');
  expect(tables.length).toBeGreaterThan(0);
  for (const [id, table] of tables) {
    expect({ id, pitr: table.Properties?.PointInTimeRecoverySpecification, protection: table.Properties?.DeletionProtectionEnabled }).toEqual({
      id,
      pitr: { PointInTimeRecoveryEnabled: param(service, stage, 'pointInTimeRecovery') },
      protection: param(service, stage, 'deletionProtection'),
    });
  }
});

// Tables holding tombstones and finished records expire them (TTL expiresAt, docs/guarantees.md);
// the orders table (the customers' history and the Idempotency-Key record) and the catalogue do not.
const TTL_TABLES = ['ReservationsTable', 'PaymentsTable', 'NotificationsTable'];
test.each(cases)('%s %s: the tables of finished records expire them on expiresAt, the others have no TTL', (stage, service) => {
  for (const [id, table] of resourcesOfType(templates[stage][service], 'AWS::DynamoDB::Table')) {
    const expected = TTL_TABLES.includes(id) ? { AttributeName: 'expiresAt', Enabled: true } : undefined;
    expect({ id, ttl: table.Properties?.TimeToLiveSpecification }).toEqual({ id, ttl: expected });
  }
});

test.each(cases)('%s %s: every log group keeps its logs for the retention of its stage', (stage, service) => {
  const groups = resourcesOfType(templates[stage][service], 'AWS::Logs::LogGroup');
  expect(groups.length).toBeGreaterThan(0);
  for (const [id, group] of groups) expect({ id, days: group.Properties?.RetentionInDays }).toEqual({ id, days: param(service, stage, 'logRetentionDays') });
});

test.each(cases)('%s %s: every function logs at the level of its stage', (stage, service) => {
  const functions = resourcesOfType(templates[stage][service], 'AWS::Lambda::Function');
  expect(functions.length).toBeGreaterThan(0);
  for (const [id, fn] of functions) {
    const env = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect({ id, stage: env.STAGE, level: env.POWERTOOLS_LOG_LEVEL }).toEqual({ id, stage, level: param(service, stage, 'logLevel') });
  }
});

test.each(STAGES)('%s: the saga logs at the level of its stage, without execution data', (stage) => {
  const sagas = resourcesOfType(templates[stage].order, 'AWS::StepFunctions::StateMachine');
  expect(sagas).toHaveLength(1);
  expect(sagas[0]![1].Properties?.LoggingConfiguration).toMatchObject({ Level: param('order', stage, 'sagaLogLevel'), IncludeExecutionData: false });
});

test.each(STAGES)("%s: the payment table's deletion policy", (stage) => {
  const tables = resourcesOfType(templates[stage].payment, 'AWS::DynamoDB::Table');
  expect(tables).toHaveLength(1);
  const table = tables[0]![1] as { DeletionPolicy?: unknown; UpdateReplacePolicy?: unknown };
  const policy = param('payment', stage, 'tableDeletionPolicy');
  expect({ deletion: table.DeletionPolicy, replace: table.UpdateReplacePolicy }).toEqual({ deletion: policy, replace: policy });
});

describe('dev and prod', () => {
  const values = <T>(stage: Stage, type: string, read: (props: Record<string, unknown>) => T): T[] =>
    STACKS.flatMap((stack) => resourcesOfType(templates[stage][stack], type).map(([, r]) => read(r.Properties ?? {})));

  test('prod: every table recovers to a point in time and refuses deletion; dev: neither (a cheap, disposable stage)', () => {
    const pitr = (p: Record<string, unknown>) => (p.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled: unknown }).PointInTimeRecoveryEnabled;
    expect(new Set(values('prod', 'AWS::DynamoDB::Table', pitr))).toEqual(new Set([true]));
    expect(new Set(values('prod', 'AWS::DynamoDB::Table', (p) => p.DeletionProtectionEnabled))).toEqual(new Set([true]));
    expect(new Set(values('dev', 'AWS::DynamoDB::Table', pitr))).toEqual(new Set([false]));
    expect(new Set(values('dev', 'AWS::DynamoDB::Table', (p) => p.DeletionProtectionEnabled))).toEqual(new Set([false]));
  });

  test('prod keeps logs at least 30 days and longer than dev', () => {
    const days = (stage: Stage) => values(stage, 'AWS::Logs::LogGroup', (p) => Number(p.RetentionInDays));
    expect(Math.min(...days('prod'))).toBeGreaterThanOrEqual(30);
    expect(Math.min(...days('prod'))).toBeGreaterThan(Math.max(...days('dev')));
  });

  test('prod logs nothing at DEBUG (the events carry customer data); dev may', () => {
    const levels = (stage: Stage) =>
      values(stage, 'AWS::Lambda::Function', (p) => (p.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_LOG_LEVEL);
    expect(levels('prod')).not.toContain('DEBUG');
    expect(levels('dev')).toContain('DEBUG');
  });

  test('each stage has its own JWT authorizer: its own issuer or audience, never the local development issuer', () => {
    const jwt = (stage: Stage) => values(stage, 'AWS::ApiGatewayV2::Authorizer', (p) => JSON.stringify(p.JwtConfiguration));
    const local = new Set(jwt('local'));
    for (const stage of ['dev', 'prod'] as const) {
      expect(jwt(stage)).toHaveLength(SERVICES.length);
      for (const config of jwt(stage)) expect({ stage, local: local.has(config) }).toEqual({ stage, local: false });
    }
    for (const config of jwt('dev')) expect(jwt('prod')).not.toContain(config);
  });
});
