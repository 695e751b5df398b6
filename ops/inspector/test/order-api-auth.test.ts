import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { ensureDevIssuer } from '../../../tools/devauth/src/index';
import { bearerToken, devIssuerToken } from '../src/adapters/order-api-auth';

/** The order API's routes want a JWT: a given token, or on the local stack one of the dev issuer. */
describe('order API authentication', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'inspector-auth-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends a given token as a bearer token', async () => {
    expect(await bearerToken('abc')()).toEqual({ authorization: 'Bearer abc' });
  });

  it('mints an operator token from the local dev issuer, once, and reuses it', async () => {
    await ensureDevIssuer(dir);
    const headers = devIssuerToken(dir);
    const first = await headers();
    expect(first.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/u);
    const claims = decodeJwt(first.authorization!.slice('Bearer '.length));
    expect(claims).toMatchObject({ sub: 'saga-inspector', scope: 'order-platform/admin', client_id: 'order-platform-local', token_use: 'access' });
    expect(await headers()).toBe(first);
  });

  it('without the issuer key (no stack ran here) sends nothing and creates no key', async () => {
    expect(await devIssuerToken(dir)()).toEqual({});
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'issuer-private.jwk.json'))).toBe(false);
  });
});
