import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ADMIN_SCOPE } from '../../../shared/src/auth/principal';

/**
 * The local development issuer: an ES256 key pair generated into `.local/auth/` on first use.
 * Its tokens carry the claims of a Cognito access token (the AWS stages' issuer): `sub`,
 * `client_id` (the app client, which the services accept as the audience; no `aud`), `scope`,
 * `token_use: access`, and `cognito:groups` when asked for.
 * The private key signs tokens (`npm run token`, the demo, the e2e tests, the bench); the public
 * JWKS file is what the services verify signatures against on the `local` stage (AUTH_JWKS_FILE).
 * No server: `iss` is only a string that the services compare.
 */

/** The `iss` of every development token; services/*\/serverless.yml's local stage expects it. */
export const DEV_ISSUER = 'http://127.0.0.1/local-issuer';
/** The `client_id` (audience) of every development token; shared/serverless/auth.yml's local stage expects it. */
export const DEV_AUDIENCE = 'order-platform-local';
/** The scope that makes a token an operator's (catalogue writes, payments, notifications, any order). */
export { ADMIN_SCOPE };
export const ALGORITHM = 'ES256';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** `.local/auth` (LOCAL_DATA_DIR moves `.local`, as for the local stack). */
export function defaultIssuerDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.resolve(REPO_ROOT, env.LOCAL_DATA_DIR || '.local'), 'auth');
}

export const PRIVATE_KEY_FILE = 'issuer-private.jwk.json';
export const JWKS_FILE = 'jwks.json';

export interface DevIssuer {
  issuer: string;
  audience: string;
  dir: string;
  /** The public key set the services verify with. */
  jwksFile: string;
  privateKeyFile: string;
  kid: string;
  privateKey: CryptoKey;
}

interface StoredKey extends JWK {
  kid: string;
  alg: string;
}

function publicPart({ kty, crv, x, y, kid, alg }: StoredKey): JWK {
  return { kty, crv, x, y, kid, alg, use: 'sig' };
}

/** A fresh ES256 signing key as a private JWK with its thumbprint as `kid`. */
export async function generateSigningKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: ALGORITHM };
}

/** Writes `content` to `file` only if it does not exist yet, atomically (a concurrent first start loses, reads the winner's). */
function writeOnce(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function writeAtomically(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode: 0o644 });
  renameSync(temp, file);
}

/**
 * The development issuer of `dir` (default `.local/auth`), created on first use: a private key
 * (mode 0600) and the public JWKS next to it. Safe to call from several processes at once; the
 * JWKS file is rewritten from the private key when missing or stale.
 */
export async function ensureDevIssuer(dir: string = defaultIssuerDir()): Promise<DevIssuer> {
  mkdirSync(dir, { recursive: true });
  const privateKeyFile = path.join(dir, PRIVATE_KEY_FILE);
  const jwksFile = path.join(dir, JWKS_FILE);
  if (!existsSync(privateKeyFile)) {
    writeOnce(privateKeyFile, `${JSON.stringify(await generateSigningKey(), null, 2)}\n`);
  }
  const stored = JSON.parse(readFileSync(privateKeyFile, 'utf8')) as StoredKey;
  const jwks = `${JSON.stringify({ keys: [publicPart(stored)] }, null, 2)}\n`;
  if (!existsSync(jwksFile) || readFileSync(jwksFile, 'utf8') !== jwks) writeAtomically(jwksFile, jwks);
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    dir,
    jwksFile,
    privateKeyFile,
    kid: stored.kid,
    privateKey: (await importJWK(stored, ALGORITHM)) as CryptoKey,
  };
}

export interface MintOptions {
  /** The customer the token speaks for: its `sub` claim. */
  customerId: string;
  /** Adds the admin scope (order-platform/admin). */
  admin?: boolean;
  /** Further scopes, space-joined into `scope` with the admin scope. */
  scopes?: string[];
  /** Lifetime: seconds, or a jose time span such as "1h", "15m"; negative ("-5m") mints an expired token. Default "1h". */
  expiresIn?: number | string;
  /** The `client_id`; default the development audience; another value mints a token the services must refuse. */
  audience?: string;
  /** `cognito:groups` (the services grant nothing by group: rights come from `scope`). */
  groups?: string[];
  /** Default the development issuer. */
  issuer?: string;
  /** The issuer directory (default `.local/auth`); created on first use. */
  dir?: string;
  /** Sign with this key instead of the issuer's (e.g. {@link generateSigningKey}): a forged token. */
  signingKey?: JWK;
  /** Extra claims (email, ...). */
  claims?: Record<string, unknown>;
}

/** A signed development token (compact JWS). */
export async function mintToken(options: MintOptions): Promise<string> {
  const scopes = [...(options.admin ? [ADMIN_SCOPE] : []), ...(options.scopes ?? [])];
  let key: CryptoKey;
  let kid: string;
  if (options.signingKey) {
    key = (await importJWK(options.signingKey, ALGORITHM)) as CryptoKey;
    kid = options.signingKey.kid ?? 'foreign';
  } else {
    const issuer = await ensureDevIssuer(options.dir);
    key = issuer.privateKey;
    kid = issuer.kid;
  }
  const expiresIn = options.expiresIn ?? '1h';
  const now = Math.floor(Date.now() / 1000);
  // As Cognito: the app client in client_id and no aud; token_use tells it from an ID token.
  return new SignJWT({
    client_id: options.audience ?? DEV_AUDIENCE,
    token_use: 'access',
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    ...(options.groups?.length ? { 'cognito:groups': options.groups } : {}),
    ...options.claims,
  })
    .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
    .setSubject(options.customerId)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setIssuedAt(now)
    .setJti(randomUUID())
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
    .sign(key);
}

/** `{ authorization: 'Bearer <token>' }` for a request of `customerId` (an admin's with `admin: true`). */
export async function authHeader(options: MintOptions): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await mintToken(options)}` };
}
