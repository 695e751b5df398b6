import { handlerEntries } from '../src/build/handler-entries';
import { classifyChange, inIgnoredFolder } from '../src/build/live-reload';
import { typeErrors } from '../src/build/type-checker';

const SERVICES = ['order', 'inventory', 'payment', 'notification'] as const;

describe('classifyChange: what a saved file means to the running stack', () => {
  it.each([
    ['services/order/src/handlers/createOrder.ts', { kind: 'source', file: 'services/order/src/handlers/createOrder.ts' }],
    ['services/payment/src/domain/charge.ts', { kind: 'source', file: 'services/payment/src/domain/charge.ts' }],
    ['shared/src/lambda/method-not-allowed.ts', { kind: 'source', file: 'shared/src/lambda/method-not-allowed.ts' }],
    ['services/order/serverless.yml', { kind: 'config', service: 'order', file: 'services/order/serverless.yml' }],
    ['services/order/saga.asl.yml', { kind: 'config', service: 'order', file: 'services/order/saga.asl.yml' }],
    ['services/inventory/resources/tables.yml', { kind: 'config', service: 'inventory', file: 'services/inventory/resources/tables.yml' }],
    ['shared/serverless/common.yml', { kind: 'config', service: 'all', file: 'shared/serverless/common.yml' }],
    ['shared/serverless/plugins/local-offline.js', { kind: 'config', service: 'all', file: 'shared/serverless/plugins/local-offline.js' }],
  ])('%s', (file, expected) => {
    expect(classifyChange(file, SERVICES)).toEqual(expected);
  });

  it.each([
    'services/order/test/handlers/createOrder.test.ts',
    'services/order/.esbuild/.build/src/handlers/createOrder.js',
    'services/order/.serverless/cloudformation-template-update-stack.json',
    'services/order/node_modules/x/index.js',
    'services/order/README.md',
    'services/order/package.json',
    'services/platform/serverless.yml',
    'shared/test/auth.test.ts',
    'shared/README.md',
    'services/order/src/handlers/.#createOrder.ts',
    'services/order/src/handlers/createOrder.ts~',
  ])('%s is ignored', (file) => {
    expect(classifyChange(file, SERVICES)).toEqual({ kind: 'ignored' });
  });

  it('ignores folders by name, not by a match anywhere in the path', () => {
    expect(inIgnoredFolder('services/order/test/x.ts')).toBe(true);
    expect(inIgnoredFolder('services/order/src/testing-utils.ts')).toBe(false);
  });
});

describe('handlerEntries: the functions of a packaged template', () => {
  const template = {
    Resources: {
      CreateOrderLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'order-local-createOrder', Handler: 'src/handlers/createOrder.handler' } },
      PublishLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'order-local-publish', Handler: 'src/handlers/publish.main.handler' } },
      OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      ImageFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'order-local-image', PackageType: 'Image' } },
    },
  };

  it('maps each Handler to its TypeScript source and the bundle serverless-offline loads', () => {
    expect(handlerEntries(template, '/repo/services/order', '/repo/.local/run/services/order')).toEqual([
      {
        functionName: 'order-local-createOrder',
        module: 'src/handlers/createOrder',
        source: '/repo/services/order/src/handlers/createOrder.ts',
        output: '/repo/.local/run/services/order/.esbuild/.build/src/handlers/createOrder.js',
      },
      {
        // The export part is everything after the last dot.
        functionName: 'order-local-publish',
        module: 'src/handlers/publish.main',
        source: '/repo/services/order/src/handlers/publish.main.ts',
        output: '/repo/.local/run/services/order/.esbuild/.build/src/handlers/publish.main.js',
      },
    ]);
  });
});

test('typeErrors keeps tsc error lines only', () => {
  const output = [
    "services/order/src/handlers/getOrder.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    '  The expected type comes from property ...',
    'shared/src/config.ts(5,1): error TS1005: \';\' expected.',
    '',
    'Found 2 errors in 2 files.',
  ].join('\n');
  expect(typeErrors(output)).toEqual([
    "services/order/src/handlers/getOrder.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    "shared/src/config.ts(5,1): error TS1005: ';' expected.",
  ]);
  expect(typeErrors('')).toEqual([]);
});
