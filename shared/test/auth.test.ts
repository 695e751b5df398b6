import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UnsecuredJWT } from 'jose';
import * as z from 'zod/mini';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { jsonResponse } from '../src';
import { createObservability, httpHandler } from '../src/lambda';
import { ADMIN_SCOPE, authConfigFromEnv, bearerToken, principalFromClaims, scopesOf, type AuthConfig, type Principal } from '../src/auth';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevIssuer, generateSigningKey, mintToken } from '../../tools/devauth/src';

const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

let dir: string;
let local: Extract<AuthConfig, { mode: 'local-jwks' }>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'auth-test-'));
  const issuer = await ensureDevIssuer(dir);
  local = { mode: 'local-jwks', jwksFile: issuer.jwksFile, issuer: DEV_ISSUER, audience: DEV_AUDIENCE };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = (options: Partial<Parameters<typeof mintToken>[0]> = {}) => mintToken({ customerId: 'c1', dir, ...options });

function event(headers: Record<string, string> = {}, overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"name":"a"}',
    requestContext: { http: { method: 'POST', path: '/things' } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...overrides,
  };
}

const bearer = async (options: Partial<Parameters<typeof mintToken>[0]> = {}) => ({ Authorization: `Bearer ${await token(options)}` });

const Thing = z.strictObject({ name: z.string() });
const seen: Array<Principal | undefined> = [];
function handlerFor(auth: 'customer' | 'admin' | 'public', authConfig: AuthConfig) {
  return httpHandler(createObservability('test'), { auth, authConfig, body: Thing }, async (e) => {
    seen.push(e.principal);
    return jsonResponse(200, { principal: e.principal ?? null, body: e.body });
  });
}

async function call(handler: ReturnType<typeof handlerFor>, e: APIGatewayProxyEventV2) {
  const res = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  const headers = (res.headers ?? {}) as Record<string, string>;
  return { status: res.statusCode, headers, body: JSON.parse(String(res.body)) };
}

beforeEach(() => (seen.length = 0));

describe('local-jwks: the function verifies the token itself', () => {
  test('a valid customer token reaches the handler as the principal', async () => {
    const res = await call(handlerFor('customer', local), event(await bearer()));
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ customerId: 'c1', scopes: [], isAdmin: false });
  });

  test('no token: 401 problem+json with a bare Bearer challenge', async () => {
    const res = await call(handlerFor('customer', local), event());
    expect(res.status).toBe(401);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.headers['WWW-Authenticate']).toBe('Bearer realm="order-platform"');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(seen).toHaveLength(0);
  });

  test.each<[string, () => Promise<Record<string, string>>, RegExp]>([
    ['an expired token', () => bearer({ expiresIn: '-1m' }), /expired/],
    ['a token signed by another key', async () => bearer({ signingKey: await generateSigningKey() }), /signature/],
    ['a token for another audience', () => bearer({ audience: 'someone-else' }), /audience/],
    ['a token from another issuer', () => bearer({ issuer: 'https://issuer.example' }), /issuer/],
    ['an unsigned token (alg none)', async () => ({ authorization: `Bearer ${new UnsecuredJWT({ sub: 'c1' }).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h').encode()}` }), /algorithm|malformed/],
    ['garbage', async () => ({ authorization: 'Bearer not.a.jwt' }), /malformed/],
    ['Basic credentials', async () => ({ authorization: 'Basic YTpi' }), /Bearer <token>/],
    ['a subject that is no customer id', () => bearer({ customerId: 'has space' }), /subject/],
    ['an ID token (token_use id)', () => bearer({ claims: { token_use: 'id' } }), /not an access token/],
  ])('%s: 401 invalid_token, before the body is read', async (_name, headers, detail) => {
    // An invalid body too: authentication answers first.
    const res = await call(handlerFor('customer', local), event(await headers(), { body: '{"bad":' }));
    expect(res.status).toBe(401);
    expect(res.headers['WWW-Authenticate']).toMatch(/^Bearer realm="order-platform", error="invalid_token", error_description="/);
    expect(res.body.detail).toMatch(detail);
    expect(seen).toHaveLength(0);
  });

  test('claims that serverless-offline put in requestContext (or its override header) are ignored', async () => {
    const forged = event(
      { 'sls-offline-authorizer-override': JSON.stringify({ jwt: { claims: { sub: 'c1', scope: ADMIN_SCOPE } } }) },
      { requestContext: { http: { method: 'POST', path: '/things' }, authorizer: { jwt: { claims: { sub: 'c1', scope: ADMIN_SCOPE }, scopes: [] } } } as unknown as APIGatewayProxyEventV2['requestContext'] },
    );
    expect((await call(handlerFor('admin', local), forged)).status).toBe(401);
  });

  test('an admin route: 403 insufficient_scope for a customer, 200 for an admin', async () => {
    const customer = await call(handlerFor('admin', local), event(await bearer()));
    expect(customer.status).toBe(403);
    expect(customer.headers['Content-Type']).toBe('application/problem+json');
    expect(customer.headers['WWW-Authenticate']).toBe(`Bearer realm="order-platform", error="insufficient_scope", scope="${ADMIN_SCOPE}"`);
    expect(customer.body).toMatchObject({ status: 403, requiredScope: ADMIN_SCOPE });
    expect(seen).toHaveLength(0);

    const admin = await call(handlerFor('admin', local), event(await bearer({ admin: true, customerId: 'ops' })));
    expect(admin.status).toBe(200);
    expect(admin.body.principal).toEqual({ customerId: 'ops', scopes: [ADMIN_SCOPE], isAdmin: true });
  });

  test('a missing key set (the issuer was never created) is a server error, never a pass', async () => {
    const res = await call(handlerFor('customer', { ...local, jwksFile: path.join(dir, 'missing.json') }), event(await bearer()));
    expect(res.status).toBe(500);
    expect(seen).toHaveLength(0);
  });

  test('public routes need no token', async () => {
    const res = await call(handlerFor('public', local), event());
    expect(res.status).toBe(200);
    expect(res.body.principal).toBeNull();
  });
});

describe('api-gateway: the HTTP API authorizer has verified the token', () => {
  const gateway: AuthConfig = { mode: 'api-gateway' };
  const withClaims = (claims: Record<string, unknown> | undefined) =>
    event({}, { requestContext: { http: { method: 'POST', path: '/things' }, authorizer: { jwt: { claims, scopes: null } } } as unknown as APIGatewayProxyEventV2['requestContext'] });

  test('the principal comes from the authorizer claims, scopes as API Gateway flattens them', async () => {
    const res = await call(handlerFor('admin', gateway), withClaims({ sub: 'ops', scope: `[${ADMIN_SCOPE} other]` }));
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ customerId: 'ops', scopes: [ADMIN_SCOPE, 'other'], isAdmin: true });
  });

  test("a Cognito access token's claims give the same principal as the development issuer's", async () => {
    // As API Gateway passes a client-credentials token of the operators' client: sub is the client id.
    const operator = { sub: '1example23456789abcdefghij', client_id: '1example23456789abcdefghij', token_use: 'access', scope: ADMIN_SCOPE, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example' };
    const res = await call(handlerFor('admin', gateway), withClaims(operator));
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ customerId: operator.sub, scopes: [ADMIN_SCOPE], isAdmin: true });
    const customer = { sub: '8f0e4c6a-1b2c-4d5e-9f00-123456789abc', client_id: 'customers', token_use: 'access', scope: 'aws.cognito.signin.user.admin', 'cognito:groups': '[ops]' };
    const asCustomer = await call(handlerFor('customer', gateway), withClaims(customer));
    expect(asCustomer.body.principal).toEqual({ customerId: customer.sub, scopes: ['aws.cognito.signin.user.admin'], isAdmin: false });
    expect((await call(handlerFor('admin', gateway), withClaims(customer))).status).toBe(403);
    expect((await call(handlerFor('customer', gateway), withClaims({ ...customer, token_use: 'id' }))).status).toBe(401);
  });

  test('no authorizer claims (a route deployed without the authorizer): 401', async () => {
    expect((await call(handlerFor('customer', gateway), event())).status).toBe(401);
    expect((await call(handlerFor('customer', gateway), withClaims({}))).status).toBe(401);
  });

  test('a customer on an admin route: 403', async () => {
    expect((await call(handlerFor('admin', gateway), withClaims({ sub: 'c1', scope: 'openid' }))).status).toBe(403);
  });

  test('refuses to run under serverless-offline, where those claims are unverified', async () => {
    process.env.IS_OFFLINE = 'true';
    try {
      const res = await call(handlerFor('customer', gateway), withClaims({ sub: 'c1' }));
      expect(res.status).toBe(500);
      expect(seen).toHaveLength(0);
    } finally {
      delete process.env.IS_OFFLINE;
    }
  });
});

describe('pieces', () => {
  test('authConfigFromEnv: both modes; anything else fails at init', () => {
    expect(authConfigFromEnv({ AUTH_MODE: 'api-gateway' })).toEqual({ mode: 'api-gateway' });
    expect(authConfigFromEnv({ AUTH_MODE: 'local-jwks', AUTH_JWKS_FILE: '/k.json', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual({
      mode: 'local-jwks',
      jwksFile: '/k.json',
      issuer: 'i',
      audience: 'a',
    });
    expect(() => authConfigFromEnv({})).toThrow(/AUTH_MODE/);
    expect(() => authConfigFromEnv({ AUTH_MODE: 'none' })).toThrow(/must be "api-gateway" or "local-jwks"/);
    expect(() => authConfigFromEnv({ AUTH_MODE: 'local-jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toThrow(/AUTH_JWKS_FILE/);
  });

  test('a route that is not public cannot be built without an auth mode', () => {
    const saved = process.env.AUTH_MODE;
    delete process.env.AUTH_MODE;
    try {
      expect(() => httpHandler(createObservability('test'), { auth: 'customer' }, async () => jsonResponse(200, {}))).toThrow(/AUTH_MODE/);
    } finally {
      if (saved !== undefined) process.env.AUTH_MODE = saved;
    }
  });

  test('bearerToken', () => {
    expect(bearerToken({ authorization: 'Bearer a.b.c' })).toBe('a.b.c');
    expect(bearerToken({ authorization: 'bearer  a.b.c ' })).toBe('a.b.c');
    expect(() => bearerToken({})).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => bearerToken({ authorization: 'Bearer' })).toThrow(expect.objectContaining({ status: 401 }));
  });

  test('scopesOf: OAuth scope string, scp array, API Gateway flattening', () => {
    expect(scopesOf({ scope: 'a b' })).toEqual(['a', 'b']);
    expect(scopesOf({ scp: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(scopesOf({ scp: '[a b]' })).toEqual(['a', 'b']);
    expect(scopesOf({})).toEqual([]);
  });

  test('principalFromClaims needs a customer-id subject', () => {
    expect(principalFromClaims({ sub: 'c_1-x' })).toEqual({ customerId: 'c_1-x', scopes: [], isAdmin: false });
    for (const sub of [undefined, 42, '', 'a b', 'x'.repeat(65)]) expect(() => principalFromClaims({ sub })).toThrow(expect.objectContaining({ status: 401 }));
  });
});
