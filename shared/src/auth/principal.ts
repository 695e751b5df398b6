import { HttpProblem } from '../http/problem';

/**
 * Who is calling, from an access token the platform trusts (verified by API Gateway's JWT
 * authorizer in AWS, by the service itself on the local stage). Plain TypeScript: domain rules
 * take a Principal and never see a token.
 *
 * The claims are a Cognito access token's, on every stage (the local development issuer mints
 * the same ones):
 * - `sub`: the customer id (1 to 64 of A-Z a-z 0-9 _ -, as customerId everywhere else); for the
 *   operators' client-credentials client, the client id;
 * - `scope` (space-separated, OAuth 2.0) or `scp` (array): {@link ADMIN_SCOPE} makes an operator.
 *   Only the scope does: API Gateway's route scopes check it, not `cognito:groups`;
 * - `token_use`: when present it must be `access` (a Cognito ID token, whose `aud` the authorizer
 *   would accept too, is not an access token).
 */

/** The scope of operators: catalogue writes, payments, notifications, and every customer's orders. */
export const ADMIN_SCOPE = 'order-platform/admin';

/** The realm every WWW-Authenticate challenge names. */
export const AUTH_REALM = 'order-platform';

/**
 * What a route needs: `public` (no token), `customer` (any valid token: the caller acts as the
 * customer in its `sub`), `admin` (a valid token with {@link ADMIN_SCOPE}).
 */
export type AuthRequirement = 'public' | 'customer' | 'admin';

export interface Principal {
  /** The token's `sub`: the customer this caller is. */
  customerId: string;
  scopes: readonly string[];
  /** Holds {@link ADMIN_SCOPE}. */
  isAdmin: boolean;
}

const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/**
 * 401: no usable token. RFC 6750: a request without credentials gets a bare challenge; a bad
 * token gets `error="invalid_token"` and a description.
 */
export function unauthorized(description?: string): HttpProblem {
  const challenge = description
    ? `Bearer realm=${quoted(AUTH_REALM)}, error="invalid_token", error_description=${quoted(description)}`
    : `Bearer realm=${quoted(AUTH_REALM)}`;
  return new HttpProblem(401, description ?? 'This request needs an access token: send Authorization: Bearer <token>', {}, {
    'WWW-Authenticate': challenge,
  });
}

/** 403: a valid token without the scope the route needs (RFC 6750 insufficient_scope). */
export function insufficientScope(scope: string, detail: string): HttpProblem {
  return new HttpProblem(403, detail, { requiredScope: scope }, {
    'WWW-Authenticate': `Bearer realm=${quoted(AUTH_REALM)}, error="insufficient_scope", scope=${quoted(scope)}`,
  });
}

/**
 * Scopes from the claims: `scope` as OAuth 2.0 sends it ("a b"), `scp` as an array, and both as
 * API Gateway hands claims to Lambda (every value a string, arrays flattened to "[a b]").
 */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const flattened = /^\[(.*)\]$/.exec(raw.trim());
  return (flattened ? flattened[1]! : raw).split(/[\s,]+/).filter((scope) => scope !== '');
}

/** The principal of verified claims; 401 when `sub` cannot be a customer id. */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  if (claims.token_use !== undefined && claims.token_use !== 'access') {
    throw unauthorized('This is not an access token: send the access token, not the ID token');
  }
  const sub = claims.sub;
  if (typeof sub !== 'string' || !CUSTOMER_ID.test(sub)) {
    throw unauthorized('The access token has no usable subject: sub must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"');
  }
  const scopes = scopesOf(claims);
  return { customerId: sub, scopes, isAdmin: scopes.includes(ADMIN_SCOPE) };
}

/** Throws 403 when the principal does not meet the route's requirement. */
export function authorize(principal: Principal, requirement: AuthRequirement): void {
  if (requirement === 'admin' && !principal.isAdmin) {
    throw insufficientScope(ADMIN_SCOPE, `This route is for operators: the access token needs the scope ${ADMIN_SCOPE}`);
  }
}
