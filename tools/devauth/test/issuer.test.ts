import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { HttpProblem } from '../../../shared/src/http/problem';
import { verifyWithLocalJwks } from '../../../shared/src/auth/verify';
import { main, UsageError } from '../src/cli';
import { ADMIN_SCOPE, DEV_AUDIENCE, DEV_ISSUER, authHeader, defaultIssuerDir, ensureDevIssuer, generateSigningKey, mintToken } from '../src';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'devauth-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const verify = (token: string, jwksFile = path.join(dir, 'jwks.json')) =>
  verifyWithLocalJwks(token, { jwksFile, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });

async function refusal(token: string): Promise<HttpProblem> {
  try {
    await verify(token);
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('the token was accepted');
}

describe('ensureDevIssuer', () => {
  test('creates a private key (0600) and a public JWKS without private parts, once', async () => {
    const first = await ensureDevIssuer(dir);
    expect(first).toMatchObject({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksFile: path.join(dir, 'jwks.json') });
    expect(statSync(first.privateKeyFile).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(readFileSync(first.jwksFile, 'utf8')) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: first.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const again = await ensureDevIssuer(dir);
    expect(again.kid).toBe(first.kid);
  });

  test('concurrent first starts agree on one key', async () => {
    const issuers = await Promise.all(Array.from({ length: 5 }, () => ensureDevIssuer(dir)));
    expect(new Set(issuers.map((i) => i.kid)).size).toBe(1);
    const jwks = JSON.parse(readFileSync(path.join(dir, 'jwks.json'), 'utf8')) as { keys: Array<{ kid: string }> };
    expect(jwks.keys[0]!.kid).toBe(issuers[0]!.kid);
  });

  test('lives in .local/auth of the repository unless LOCAL_DATA_DIR moves .local', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    expect(defaultIssuerDir({})).toBe(path.join(root, '.local', 'auth'));
    expect(defaultIssuerDir({ LOCAL_DATA_DIR: '/tmp/x' })).toBe('/tmp/x/auth');
  });
});

describe('mintToken', () => {
  test("a customer token has a Cognito access token's claims: sub, iss, client_id (no aud), token_use, exp in an hour, no scope; it verifies", async () => {
    const token = await mintToken({ customerId: 'c1', dir });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: (await ensureDevIssuer(dir)).kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'c1', iss: DEV_ISSUER, client_id: DEV_AUDIENCE, token_use: 'access' });
    expect(claims).not.toHaveProperty('aud');
    expect(claims).not.toHaveProperty('scope');
    expect(claims).not.toHaveProperty('cognito:groups');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(await verify(token)).toMatchObject({ sub: 'c1' });
  });

  test('groups go into cognito:groups', async () => {
    expect(decodeJwt(await mintToken({ customerId: 'c1', groups: ['ops'], dir }))['cognito:groups']).toEqual(['ops']);
  });

  test('an aud, when a token has one, is the audience checked, as API Gateway does; else client_id', async () => {
    expect(await verify(await mintToken({ customerId: 'c1', dir, audience: 'another-api', claims: { aud: DEV_AUDIENCE } }))).toMatchObject({ sub: 'c1' });
    await expect(verify(await mintToken({ customerId: 'c1', dir, claims: { aud: 'another-api' } }))).rejects.toMatchObject({ status: 401, detail: 'The access token is not for this API (wrong audience)' });
  });

  test('an admin token carries the admin scope', async () => {
    const token = await mintToken({ customerId: 'ops', admin: true, scopes: ['other'], dir });
    expect(decodeJwt(token).scope).toBe(`${ADMIN_SCOPE} other`);
  });

  test('expired, foreign-signed and wrong-audience tokens are refused with 401 and a reason', async () => {
    await ensureDevIssuer(dir);
    const expired = await refusal(await mintToken({ customerId: 'c1', dir, expiresIn: '-5m' }));
    expect(expired).toMatchObject({ status: 401, detail: 'The access token has expired' });
    expect(expired.headers['WWW-Authenticate']).toMatch(/^Bearer realm="order-platform", error="invalid_token"/);

    const forged = await refusal(await mintToken({ customerId: 'c1', dir, signingKey: await generateSigningKey() }));
    expect(forged).toMatchObject({ status: 401, detail: 'The access token signature could not be verified' });

    const { kid } = await ensureDevIssuer(dir);
    const forgedSameKid = await refusal(await mintToken({ customerId: 'c1', dir, signingKey: { ...(await generateSigningKey()), kid } }));
    expect(forgedSameKid).toMatchObject({ status: 401, detail: 'The access token signature could not be verified' });

    const audience = await refusal(await mintToken({ customerId: 'c1', dir, audience: 'another-api' }));
    expect(audience).toMatchObject({ status: 401, detail: 'The access token is not for this API (wrong audience)' });

    const issuer = await refusal(await mintToken({ customerId: 'c1', dir, issuer: 'https://evil.example' }));
    expect(issuer).toMatchObject({ status: 401, detail: 'The access token is from another issuer' });
  });

  test('a lifetime in seconds', async () => {
    const claims = decodeJwt(await mintToken({ customerId: 'c1', dir, expiresIn: 60 }));
    expect(claims.exp! - claims.iat!).toBe(60);
  });

  test('authHeader is ready to send', async () => {
    const { authorization } = await authHeader({ customerId: 'c2', dir });
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await verify(authorization.slice('Bearer '.length))).toMatchObject({ sub: 'c2' });
  });
});

describe('npm run token', () => {
  const env = process.env.LOCAL_DATA_DIR;
  beforeEach(() => (process.env.LOCAL_DATA_DIR = dir));
  afterEach(() => (env === undefined ? delete process.env.LOCAL_DATA_DIR : (process.env.LOCAL_DATA_DIR = env)));

  test('prints a token for the customer, with the admin scope on --admin', async () => {
    const token = await main(['--customer', 'c1', '--admin', '--expires-in', '15m']);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'c1', scope: ADMIN_SCOPE });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(await verify(token, path.join(dir, 'auth', 'jwks.json'))).toMatchObject({ sub: 'c1' });
  });

  test('--header prints the whole header; --audience changes client_id; --expires-in takes seconds', async () => {
    expect(await main(['--customer', 'c1', '--header'])).toMatch(/^Authorization: Bearer /);
    expect(decodeJwt(await main(['--customer', 'c1', '--audience', 'x'])).client_id).toBe('x');
    const claims = decodeJwt(await main(['--customer', 'c1', '--expires-in=-60']));
    expect(claims.exp! - claims.iat!).toBe(-60);
  });

  test('refuses a missing or invalid customer', async () => {
    await expect(main([])).rejects.toThrow(UsageError);
    await expect(main(['--customer', 'a b'])).rejects.toThrow(/--customer must be/);
  });
});
