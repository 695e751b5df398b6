import { readFileSync, statSync } from 'node:fs';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { unauthorized } from './principal';

/**
 * Signature verification for the `local` stage, where no API Gateway stands in front of the
 * functions (serverless-offline only decodes tokens, and by default not even that). Verifies a
 * compact JWS against the development issuer's public JWKS file: signature, `alg`, `iss`,
 * `exp`/`nbf`, that `sub` and `exp` are present, and the audience as API Gateway's JWT
 * authorizer does: `aud` when the token has one, else `client_id` (Cognito access tokens carry
 * the app client in `client_id` and have no `aud`).
 */

export interface LocalJwksOptions {
  jwksFile: string;
  issuer: string;
  audience: string;
}

/** Asymmetric algorithms only: an `alg: none` or HMAC token never verifies. */
const ALGORITHMS = ['ES256', 'RS256'];
const CLOCK_TOLERANCE_SECONDS = 5;

type KeySet = ReturnType<typeof createLocalJWKSet>;
let cache: { file: string; mtimeMs: number; size: number; keys: KeySet } | undefined;

/** The key set of the file, re-read whenever the file changes (a regenerated issuer takes effect at once). */
function keySetOf(file: string): KeySet {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new JwksUnavailable(file);
  }
  if (cache && cache.file === file && cache.mtimeMs === stat.mtimeMs && cache.size === stat.size) return cache.keys;
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
  const keys = createLocalJWKSet(jwks);
  cache = { file, mtimeMs: stat.mtimeMs, size: stat.size, keys };
  return keys;
}

/** The development issuer has not been created (`npm start` or `npm run token` creates it). */
export class JwksUnavailable extends Error {
  override readonly name = 'JwksUnavailable';
  constructor(readonly file: string) {
    super(`The local development issuer's key set ${file} does not exist: run \`npm start\` or \`npm run token -- --customer <id>\` once`);
  }
}

/** Why a token was refused, in words a developer can act on (no key material, no claims echoed). */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is not for this API (wrong audience)';
    if (error.claim === 'iss') return 'The access token is from another issuer';
    if (error.claim === 'nbf') return 'The access token is not valid yet';
    return `The access token is missing or has an invalid "${error.claim}" claim`;
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The access token signature could not be verified';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token uses an algorithm this API does not accept';
  return 'The access token is malformed';
}

/** Verified claims of `token`, or a 401 HttpProblem. */
export async function verifyWithLocalJwks(token: string, options: LocalJwksOptions): Promise<JWTPayload> {
  const keys = keySetOf(options.jwksFile);
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: options.issuer,
      algorithms: ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (!isForAudience(payload, options.audience)) throw new errors.JWTClaimValidationFailed('unexpected "aud" claim value', payload, 'aud', 'check_failed');
    return payload;
  } catch (error) {
    throw unauthorized(describe(error));
  }
}

/** API Gateway's rule: `aud` (string or array) when present, otherwise `client_id`. */
function isForAudience(payload: JWTPayload, audience: string): boolean {
  if (payload.aud !== undefined) return (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(audience);
  return payload.client_id === audience;
}
