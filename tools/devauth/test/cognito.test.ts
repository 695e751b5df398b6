import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { main, UsageError } from '../src/cli';
import { ADMIN_SCOPE, cognitoToken } from '../src';

const ssm = mockClient(SSMClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const PREFIX = '/order-platform/dev/auth';
const TOKEN_URL = 'https://order-platform-dev-123456789012.auth.eu-west-1.amazoncognito.com/oauth2/token';

function published(overrides: Record<string, string> = {}) {
  const values = { 'user-pool-id': 'eu-west-1_abc', 'operator-client-id': 'opclient', 'token-url': TOKEN_URL, issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', ...overrides };
  return Object.entries(values).map(([name, Value]) => ({ Name: `${PREFIX}/${name}`, Value }));
}

beforeEach(() => {
  ssm.reset();
  cognito.reset();
});

/** An access token as Cognito's (unsigned here: nothing verifies it in these tests). */
const ACCESS_TOKEN = ['{"alg":"none"}', '{"sub":"opclient","client_id":"opclient","token_use":"access"}'].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.';

const tokenResponse = (status: number, body: unknown) => jest.fn<Promise<Response>, Parameters<typeof fetch>>(async () => new Response(JSON.stringify(body), { status }));

describe('cognitoToken: an operator token from an AWS stage by client credentials', () => {
  test("reads the platform's SSM parameters and the client's secret, then asks the token endpoint for the admin scope", async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: published(), InvalidParameters: [] });
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'opclient', ClientSecret: 's3cret' } });
    const fetch = tokenResponse(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });

    const token = await cognitoToken({ stage: 'dev', ssm: new SSMClient({}), cognito: new CognitoIdentityProviderClient({}), fetch });

    expect(token).toBe(ACCESS_TOKEN);
    expect(ssm.commandCalls(GetParametersCommand)[0]!.args[0].input.Names).toEqual(
      ['user-pool-id', 'operator-client-id', 'token-url', 'issuer'].map((name) => `${PREFIX}/${name}`),
    );
    expect(cognito.commandCalls(DescribeUserPoolClientCommand)[0]!.args[0].input).toEqual({ UserPoolId: 'eu-west-1_abc', ClientId: 'opclient' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(TOKEN_URL);
    expect(init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('opclient:s3cret').toString('base64')}` } });
    expect(Object.fromEntries(new URLSearchParams(String(init!.body)))).toEqual({ grant_type: 'client_credentials', scope: ADMIN_SCOPE });
  });

  test('a stage without the platform deployed: says which parameters are missing and what to deploy', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [`${PREFIX}/user-pool-id`] });
    await expect(cognitoToken({ stage: 'dev', ssm: new SSMClient({}), cognito: new CognitoIdentityProviderClient({}), fetch: tokenResponse(200, {}) })).rejects.toThrow(
      /no identity provider yet \(missing \/order-platform\/dev\/auth\/user-pool-id\): deploy the platform stack first/,
    );
  });

  test('a refusal of the token endpoint fails with its status and error, never a token', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: published(), InvalidParameters: [] });
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'opclient', ClientSecret: 's3cret' } });
    await expect(cognitoToken({ stage: 'dev', ssm: new SSMClient({}), cognito: new CognitoIdentityProviderClient({}), fetch: tokenResponse(400, { error: 'invalid_client' }) })).rejects.toThrow(
      `the token endpoint ${TOKEN_URL} answered 400: {"error":"invalid_client"}`,
    );
  });

  test('a client without a secret cannot use client credentials', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: published(), InvalidParameters: [] });
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'opclient' } });
    await expect(cognitoToken({ stage: 'dev', ssm: new SSMClient({}), cognito: new CognitoIdentityProviderClient({}), fetch: tokenResponse(200, {}) })).rejects.toThrow(/has no secret/);
  });
});

describe('npm run token -- --stage <aws stage>', () => {
  test("refuses the local issuer's options: the pool decides the claims", async () => {
    await expect(main(['--stage', 'dev', '--customer', 'c1'])).rejects.toThrow(UsageError);
    await expect(main(['--stage', 'dev', '--admin'])).rejects.toThrow(/--admin: only for the local stage/);
  });

  test('prints the pool token (mocked clients are the ones it creates)', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: published(), InvalidParameters: [] });
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'opclient', ClientSecret: 's3cret' } });
    const stub = jest.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response(JSON.stringify({ access_token: ACCESS_TOKEN }), { status: 200 }));
    try {
      expect(await main(['--stage', 'dev', '--region', 'eu-west-1', '--header'])).toBe(`Authorization: Bearer ${ACCESS_TOKEN}`);
    } finally {
      stub.mockRestore();
    }
  });
});
