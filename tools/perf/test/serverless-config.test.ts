import { existsSync } from 'node:fs';
import path from 'node:path';
import { allFunctions, functionsOf, parseServerlessYaml, PLACEHOLDER, resolveVariables } from '../src/serverless-config';
import { REPO_ROOT } from '../src/paths';

describe('reading serverless.yml for the benches', () => {
  const doc = parseServerlessYaml(`
service: demo
params:
  default: { level: INFO, size: 512 }
  prod: { level: WARN }
provider:
  memorySize: \${param:size}
  architecture: arm64
  environment:
    LEVEL: \${param:level}
    TABLE: demo-\${sls:stage}-t
    ACCOUNT: \${param:missing, aws:accountId}
    REF: !Ref Something
functions:
  f:
    handler: src/handlers/f.handler
    memorySize: 1024
    environment:
      X: \${self:custom.x}
    events:
      - httpApi: { method: GET, path: / }
  g:
    handler: src/handlers/g.main
custom: { x: from-custom }
`);

  it('resolves params for the stage, sls, self, aws and fallbacks; CloudFormation tags become placeholders', () => {
    const [f, g] = functionsOf('demo', doc, { stage: 'prod', accountId: '111' });
    expect(f!.environment).toEqual({ LEVEL: 'WARN', TABLE: 'demo-prod-t', ACCOUNT: '111', REF: PLACEHOLDER, X: 'from-custom' });
    expect(f!.memorySize).toBe(1024);
    expect(g!.memorySize).toBe(512);
    expect(g!.exportName).toBe('main');
    expect(f!.entry).toBe('services/demo/src/handlers/f.ts');
    expect(f!.triggers).toEqual(['httpApi']);
    expect(f!.deployedName).toBe('demo-prod-f');
  });

  it('leaves what it cannot resolve', () => {
    expect(resolveVariables('${ssm:/x}', { stage: 'prod', region: 'r', accountId: 'a', doc: {} })).toBe('${ssm:/x}');
  });

  it('finds every function of the four services, each with an existing entry file', () => {
    const functions = allFunctions();
    expect(new Set(functions.map((f) => f.service))).toEqual(new Set(['order', 'inventory', 'payment', 'notification']));
    expect(functions.length).toBeGreaterThanOrEqual(20);
    for (const fn of functions) expect(existsSync(path.join(REPO_ROOT, fn.entry))).toBe(true);
    const createOrder = functions.find((f) => f.name === 'createOrder')!;
    expect(createOrder.environment.AUTH_MODE).toBe('api-gateway');
    expect(createOrder.environment.SAGA_WORKFLOW_TYPE).toMatch(/^(STANDARD|EXPRESS)$/);
  });
});
