import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { principalFromClaims, unauthorized, type Principal } from './principal';
import { verifyWithLocalJwks } from './verify';

/**
 * Where a request's identity comes from (AUTH_MODE, set per stage in serverless.yml):
 * - `api-gateway` (every AWS stage): the HTTP API's JWT authorizer has verified the token
 *   (signature, issuer, audience, expiry, route scopes) before Lambda runs; the function reads the
 *   claims it passes in `requestContext.authorizer.jwt.claims`.
 * - `local-jwks` (the `local` stage): nothing in front verifies anything, and serverless-offline
 *   fills those claims from an unverified token (or from its `sls-offline-authorizer-override`
 *   header), so the function ignores them and verifies `Authorization: Bearer` itself against the
 *   development issuer's JWKS file (AUTH_JWKS_FILE), issuer AUTH_ISSUER and audience AUTH_AUDIENCE.
 */
export type AuthMode = 'api-gateway' | 'local-jwks';

export type AuthConfig =
  | { mode: 'api-gateway' }
  | { mode: 'local-jwks'; jwksFile: string; issuer: string; audience: string };

/** The configuration from the environment; a missing or unknown mode is a deployment bug (fails at init). */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const mode = env.AUTH_MODE;
  if (mode === 'api-gateway') return { mode };
  if (mode === 'local-jwks') {
    const read = (name: string) => {
      const value = env[name];
      if (!value) throw new Error(`Missing required environment variable ${name} (AUTH_MODE=local-jwks)`);
      return value;
    };
    return { mode, jwksFile: read('AUTH_JWKS_FILE'), issuer: read('AUTH_ISSUER'), audience: read('AUTH_AUDIENCE') };
  }
  if (!mode) throw new Error('Missing required environment variable AUTH_MODE');
  throw new Error(`AUTH_MODE must be "api-gateway" or "local-jwks", got "${mode}"`);
}

/** The bearer token of an Authorization header (headers already lower-cased), or a 401. */
export function bearerToken(headers: Record<string, string | undefined> | undefined): string {
  const header = headers?.authorization;
  if (header === undefined || header.trim() === '') throw unauthorized();
  const match = /^Bearer +([A-Za-z0-9_~+/.=-]+)\s*$/i.exec(header.trim());
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');
  return match[1]!;
}

interface JwtAuthorizerContext {
  jwt?: { claims?: Record<string, unknown> };
}

/** Who sent `event`, per {@link AuthConfig}; 401 HttpProblem when nobody trustworthy did. */
export async function authenticate(event: APIGatewayProxyEventV2, config: AuthConfig, env: NodeJS.ProcessEnv = process.env): Promise<Principal> {
  if (config.mode === 'local-jwks') {
    const claims = await verifyWithLocalJwks(bearerToken(event.headers), config);
    return principalFromClaims(claims as Record<string, unknown>);
  }
  // Offline, these claims are whatever the caller wrote: never trust them there.
  if (env.IS_OFFLINE) {
    throw new Error('AUTH_MODE=api-gateway under serverless-offline would trust unverified tokens; run offline with --stage local (AUTH_MODE=local-jwks)');
  }
  const authorizer = (event.requestContext as { authorizer?: JwtAuthorizerContext } | undefined)?.authorizer;
  const claims = authorizer?.jwt?.claims;
  // A route deployed without the authorizer: refuse rather than serve anonymously.
  if (!claims || typeof claims !== 'object' || Object.keys(claims).length === 0) throw unauthorized();
  return principalFromClaims(claims);
}
