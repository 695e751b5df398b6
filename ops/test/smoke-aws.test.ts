import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationClient, DescribeStacksCommand, type Output, type StackStatus } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { clientCredentialsToken, discoverApis, discoverMachineClient, DiscoveryError, tokenCredentials, type MachineClient } from '../src/smoke/aws';
import { connect } from '../src/smoke/connect';
import { resolveTarget } from '../src/target';

const cfnMock = mockClient(CloudFormationClient);
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const cloudFormation = new CloudFormationClient({ region: 'eu-west-1' });
const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1' });

const apiUrl = (id: string) => `https://${id}.execute-api.eu-west-1.amazonaws.com`;
const outputs = (values: Record<string, string>): Output[] => Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

function stack(name: string, values: Record<string, string>, status: StackStatus = 'UPDATE_COMPLETE') {
  cfnMock.on(DescribeStacksCommand, { StackName: name }).resolves({ Stacks: [{ StackName: name, StackStatus: status, CreationTime: new Date(), Outputs: outputs(values) }] });
}

function deployedStage(stage: string, platform: Record<string, string>) {
  stack(`order-${stage}`, { HttpApiUrl: apiUrl('ord111'), HttpApiId: 'ord111', PublishDlqUrl: 'https://sqs/x' });
  stack(`inventory-${stage}`, { HttpApiUrl: `${apiUrl('inv222')}/` });
  stack(`payment-${stage}`, { HttpApiUrl: apiUrl('pay333') });
  stack(`notification-${stage}`, { HttpApiUrl: apiUrl('not444') });
  stack(`platform-${stage}`, platform);
}

const POOL = { UserPoolId: 'eu-west-1_AbCdEf123', OperatorClientId: '4machineclientid0000000000' };
const CLIENT_ID = POOL.OperatorClientId;

/** A JWT as Cognito's client credentials grant issues it (unsigned here: the smoke test only reads `sub`). */
function accessToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** A token endpoint: records each request, answers with `answer`. */
function tokenEndpoint(answer: { status: number; body: unknown }) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetchStub = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status: answer.status });
  }) as unknown as typeof fetch;
  return { fetchStub, requests };
}

beforeEach(() => {
  cfnMock.reset();
  cognitoMock.reset();
});

describe('the HTTP APIs of an AWS stage', () => {
  it('come from each service stack HttpApiUrl output, trailing slash removed', async () => {
    deployedStage('dev', {});
    await expect(discoverApis(cloudFormation, 'dev')).resolves.toEqual({
      orderApi: apiUrl('ord111'),
      inventoryApi: apiUrl('inv222'),
      paymentApi: apiUrl('pay333'),
      notificationApi: apiUrl('not444'),
    });
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'order-dev' });
    expect(cfnMock).toHaveReceivedCommandTimes(DescribeStacksCommand, 4);
  });

  it('a stack that is not deployed, lacks the output or rolled back is a DiscoveryError naming it', async () => {
    deployedStage('dev', {});
    cfnMock.on(DescribeStacksCommand, { StackName: 'payment-dev' }).rejects(Object.assign(new Error('Stack with id payment-dev does not exist'), { name: 'ValidationError' }));
    await expect(discoverApis(cloudFormation, 'dev')).rejects.toThrow(new DiscoveryError('stack payment-dev does not exist in this account and region: deploy the stage first (npx osls-compose deploy --stage <stage>)'));

    deployedStage('dev', {});
    stack('notification-dev', { EventsQueueUrl: 'https://sqs/q' });
    await expect(discoverApis(cloudFormation, 'dev')).rejects.toThrow(/stack notification-dev has no HttpApiUrl output/);

    deployedStage('dev', {});
    stack('order-dev', { HttpApiUrl: apiUrl('ord111') }, 'ROLLBACK_COMPLETE');
    await expect(discoverApis(cloudFormation, 'dev')).rejects.toThrow(/stack order-dev is ROLLBACK_COMPLETE/);
  });
});

describe('the machine client of the platform stack', () => {
  it('takes the token endpoint and client id from the outputs and the secret from DescribeUserPoolClient', async () => {
    stack('platform-prod', { ...POOL, AuthTokenUrl: 'https://auth.example.com/oauth2/token', UserPoolDomainUrl: 'https://ignored.example.com' });
    cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: CLIENT_ID, ClientSecret: 's3cr3t' } });
    await expect(discoverMachineClient(cloudFormation, cognito, 'prod')).resolves.toEqual({
      tokenEndpoint: 'https://auth.example.com/oauth2/token',
      clientId: CLIENT_ID,
      clientSecret: 's3cr3t',
    });
    expect(cognitoMock).toHaveReceivedCommandWith(DescribeUserPoolClientCommand, { UserPoolId: POOL.UserPoolId, ClientId: CLIENT_ID });
  });

  it('also reads the names TokenEndpoint and MachineClientId, and builds the endpoint from UserPoolDomainUrl', async () => {
    cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: 's' } });
    stack('platform-dev', { UserPoolId: POOL.UserPoolId, MachineClientId: 'm1', TokenEndpoint: 'https://auth.example.com/token' });
    expect(await discoverMachineClient(cloudFormation, cognito, 'dev')).toEqual({ tokenEndpoint: 'https://auth.example.com/token', clientId: 'm1', clientSecret: 's' });

    stack('platform-dev', { ...POOL, UserPoolDomainUrl: 'order-platform-dev.auth.eu-west-1.amazoncognito.com/' });
    expect((await discoverMachineClient(cloudFormation, cognito, 'dev')).tokenEndpoint).toBe('https://order-platform-dev.auth.eu-west-1.amazoncognito.com/oauth2/token');
  });

  it('names the missing outputs, and refuses a client without a secret', async () => {
    stack('platform-dev', { OpsAlarmsTopicArn: 'arn:aws:sns:eu-west-1:1:t' });
    await expect(discoverMachineClient(cloudFormation, cognito, 'dev')).rejects.toThrow(
      'stack platform-dev lacks the output(s) AuthTokenUrl or TokenEndpoint (or UserPoolDomainUrl), OperatorClientId or MachineClientId, UserPoolId (it has: OpsAlarmsTopicArn): is the user pool deployed?',
    );
    expect(cognitoMock).not.toHaveReceivedAnyCommand();

    stack('platform-dev', { ...POOL, AuthTokenUrl: 'https://auth.example.com/oauth2/token' });
    cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: CLIENT_ID } });
    await expect(discoverMachineClient(cloudFormation, cognito, 'dev')).rejects.toThrow(/has no secret: client credentials need a confidential client/);
  });
});

describe('the client credentials grant', () => {
  const client: MachineClient = { tokenEndpoint: 'https://auth.example.com/oauth2/token', clientId: 'abc', clientSecret: 'p@ss:word' };

  it('POSTs grant_type=client_credentials with HTTP Basic client authentication, and reads sub from the token', async () => {
    const token = accessToken({ sub: 'abc', client_id: 'abc', token_use: 'access', scope: 'order-platform/admin' });
    const { fetchStub, requests } = tokenEndpoint({ status: 200, body: { access_token: token, expires_in: 3600, token_type: 'Bearer' } });
    const answer = await clientCredentialsToken(client, { fetch: fetchStub, now: () => 1_000 });
    expect(answer).toEqual({ accessToken: token, expiresAt: 1_000 + 3_600_000, subject: 'abc' });
    expect(requests).toHaveLength(1);
    const { url, init } = requests[0]!;
    expect(url).toBe(client.tokenEndpoint);
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Buffer.from(headers.authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('abc:p%40ss%3Aword');
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({ grant_type: 'client_credentials' });
  });

  it('asks for a scope when told to', async () => {
    const { fetchStub, requests } = tokenEndpoint({ status: 200, body: { access_token: accessToken({ sub: 'abc' }), expires_in: 60 } });
    await clientCredentialsToken(client, { fetch: fetchStub, scope: 'order-platform/admin' });
    expect(new URLSearchParams(String(requests[0]!.init.body)).get('scope')).toBe('order-platform/admin');
  });

  it('a refusal is an error with the status and the answer', async () => {
    const { fetchStub } = tokenEndpoint({ status: 400, body: { error: 'invalid_client' } });
    await expect(clientCredentialsToken(client, { fetch: fetchStub })).rejects.toThrow('the token endpoint https://auth.example.com/oauth2/token answered 400: {"error":"invalid_client"}');
  });

  it('one token for customer and operator calls, renewed a minute before it expires', async () => {
    let now = 0;
    const mint = jest.fn(async () => ({ accessToken: 'second', expiresAt: now + 3_600_000, subject: 'abc' }));
    const credentials = tokenCredentials(mint, { accessToken: 'first', expiresAt: 3_600_000, subject: 'abc' }, () => now);
    expect(await credentials.customer('abc')).toEqual({ authorization: 'Bearer first' });
    expect(await credentials.admin()).toEqual({ authorization: 'Bearer first' });
    now = 3_600_000 - 59_000;
    expect(await credentials.admin()).toEqual({ authorization: 'Bearer second' });
    expect(mint).toHaveBeenCalledTimes(1);
  });
});

it('connects to an AWS stage: APIs from the stacks, the token from the pool, the customer from its sub', async () => {
  deployedStage('dev', { ...POOL, UserPoolDomainUrl: 'https://order-platform-dev.auth.eu-west-1.amazoncognito.com' });
  cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: CLIENT_ID, ClientSecret: 'secret' } });
  const token = accessToken({ sub: CLIENT_ID, client_id: CLIENT_ID, scope: 'order-platform/admin' });
  const { fetchStub, requests } = tokenEndpoint({ status: 200, body: { access_token: token, expires_in: 3600 } });
  const target = resolveTarget({ stage: 'dev' }, { AWS_REGION: 'eu-west-1' });

  const connection = await connect(target, 'r1', () => ({ cloudFormation, cognito, fetch: fetchStub }));

  expect(connection.apis.orderApi).toBe(apiUrl('ord111'));
  expect(connection.customerId).toBe(CLIENT_ID);
  expect(connection.sfn).toEqual({ region: 'eu-west-1' });
  expect(await connection.credentials.admin()).toEqual({ authorization: `Bearer ${token}` });
  expect(requests[0]!.url).toBe('https://order-platform-dev.auth.eu-west-1.amazoncognito.com/oauth2/token');
  expect(new URLSearchParams(String(requests[0]!.init.body)).get('scope')).toBe('order-platform/admin');
  expect(connection.identity).toMatch(/client credentials/);
});
