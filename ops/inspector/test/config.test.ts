import { resolveConfig } from '../src/app/config';

const localFile = { stepFunctions: 'http://127.0.0.1:8083', orderApi: 'http://127.0.0.1:3101', region: 'us-east-1', stage: 'local' };
const read = (content?: object) => () => content as never;

describe('resolveConfig', () => {
  it('uses the local stack from .local/endpoints.json, with dummy credentials', () => {
    expect(resolveConfig({}, {}, read(localFile))).toEqual({
      sfn: { region: 'us-east-1', endpoint: 'http://127.0.0.1:8083', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      stateMachine: 'order-local-saga',
      orderApiUrl: 'http://127.0.0.1:3101',
      // The local stack's order API wants a token: minted from the dev issuer beside endpoints.json.
      orderApiAuth: { devIssuerDir: expect.stringMatching(/\.local\/auth$/u) },
      compensationPatterns: ['Release*', 'Refund*', 'MarkOrderFailed'],
      target: 'local-stack',
      stage: 'local',
    });
  });

  it('knows the local stack\'s DynamoDB and inventory API from the file (what a replay seeds), never from elsewhere', () => {
    const stack = { ...localFile, dynamodb: 'http://127.0.0.1:8000', inventoryApi: 'http://127.0.0.1:3102' };
    expect(resolveConfig({}, {}, read(stack)).localStack).toEqual({
      dynamodb: 'http://127.0.0.1:8000',
      inventoryApi: 'http://127.0.0.1:3102',
      devIssuerDir: expect.stringMatching(/\.local\/auth$/u),
    });
    expect(resolveConfig({ endpoint: 'http://elsewhere:1' }, {}, read(stack)).localStack).toBeUndefined();
    expect(resolveConfig({ aws: true }, {}, read(stack)).localStack).toBeUndefined();
    // npm start's own page is told where they are.
    expect(resolveConfig({ endpoint: 'http://x:1', devIssuerDir: '/d/auth', localStack: { dynamodb: 'http://d:1', inventoryApi: 'http://i:2' } }, {}, read(undefined)).localStack).toEqual({
      dynamodb: 'http://d:1',
      inventoryApi: 'http://i:2',
      devIssuerDir: '/d/auth',
    });
  });

  it('talks to AWS when there is no local stack: default region chain, default credentials', () => {
    const config = resolveConfig({ stage: 'prod' }, { AWS_REGION: 'eu-central-1' }, read(undefined));
    expect(config).toEqual({
      sfn: { region: 'eu-central-1' },
      stateMachine: 'order-prod-saga',
      compensationPatterns: ['Release*', 'Refund*', 'MarkOrderFailed'],
      target: 'aws',
      stage: 'prod',
    });
  });

  it('--aws ignores the local file even when it exists', () => {
    const readFile = jest.fn(read(localFile));
    const config = resolveConfig({ aws: true, stage: 'dev', region: 'eu-west-3' }, {}, readFile);
    expect(readFile).not.toHaveBeenCalled();
    expect(config).toMatchObject({ sfn: { region: 'eu-west-3' }, stateMachine: 'order-dev-saga', target: 'aws' });
    expect(config.sfn.endpoint).toBeUndefined();
  });

  it('flags win over the environment, which wins over the file', () => {
    const env = { SFN_ENDPOINT: 'http://env:1', ORDER_API_URL: 'http://env-orders', SAGA_STATE_MACHINE: 'from-env', AWS_REGION: 'ap-south-1' };
    expect(resolveConfig({}, env, read(localFile))).toMatchObject({
      sfn: { endpoint: 'http://env:1', region: 'ap-south-1' },
      orderApiUrl: 'http://env-orders',
      stateMachine: 'from-env',
      target: 'endpoint',
    });
    expect(resolveConfig({ endpoint: 'http://flag:2', orderApi: 'http://flag-orders', stateMachine: 'arn:aws:states:x:1:stateMachine:m' }, env, read(localFile))).toMatchObject({
      sfn: { endpoint: 'http://flag:2' },
      orderApiUrl: 'http://flag-orders',
      stateMachine: 'arn:aws:states:x:1:stateMachine:m',
    });
  });

  it('keeps real credentials when the environment has them, and reads compensation globs', () => {
    const config = resolveConfig({ compensation: 'Undo*' }, { AWS_PROFILE: 'ops' }, read(localFile));
    expect(config.sfn.credentials).toBeUndefined();
    expect(config.compensationPatterns).toEqual(['Undo*']);
  });
});

describe('order API authentication', () => {
  it('a token from ORDER_API_TOKEN wins; an explicit order API gets no dev token unless told', () => {
    expect(resolveConfig({}, { ORDER_API_TOKEN: 'tok' }, read(localFile)).orderApiAuth).toEqual({ token: 'tok' });
    expect(resolveConfig({ orderApi: 'http://orders' }, {}, read(localFile)).orderApiAuth).toBeUndefined();
    expect(resolveConfig({ orderApi: 'http://orders', devIssuerDir: '/x/auth' }, {}, read(localFile)).orderApiAuth).toEqual({ devIssuerDir: '/x/auth' });
    expect(resolveConfig({ endpointsFile: '/data/endpoints.json' }, {}, read(localFile)).orderApiAuth).toEqual({ devIssuerDir: '/data/auth' });
    expect(resolveConfig({ aws: true }, {}, read(localFile)).orderApiAuth).toBeUndefined();
  });
});

describe('resolveConfig reads the local file only when it needs it', () => {
  it('everything given: the file is not read (npm start starts the web page before writing it)', () => {
    const readFile = jest.fn(read(localFile));
    resolveConfig({ endpoint: 'http://127.0.0.1:8083', orderApi: 'http://127.0.0.1:3101', region: 'eu-west-1', stage: 'local' }, {}, readFile);
    expect(readFile).not.toHaveBeenCalled();
  });
});
