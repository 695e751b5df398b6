import { existsSync } from 'node:fs';
import path from 'node:path';

/** Headers for each order API call; resolved per call so that a minted token can be renewed. */
export type HeaderSource = () => Promise<Record<string, string>>;

/** The private key file of the local development issuer (tools/devauth/src/issuer.ts). */
const DEV_PRIVATE_KEY_FILE = 'issuer-private.jwk.json';
const TOKEN_LIFETIME_S = 3600;
const RENEW_AFTER_MS = 50 * 60_000;

export function bearerToken(token: string): HeaderSource {
  const headers = { authorization: `Bearer ${token}` };
  return async () => headers;
}

/**
 * The local stack's order API verifies tokens of the development issuer in `.local/auth`: an
 * operator token (admin scope, so any order can be read) minted from its key, once an hour.
 * Without the key (no stack has run here) no header is sent and the order record shows why.
 * devauth is loaded only here, so the AWS path never touches it. The smoke test mints its own
 * customer's token here too (`customerId`).
 */
export function devIssuerToken(dir: string, customerId = 'saga-inspector'): HeaderSource {
  let cached: { headers: Promise<Record<string, string>>; until: number } | undefined;
  return async () => {
    if (!existsSync(path.join(dir, DEV_PRIVATE_KEY_FILE))) return {};
    if (!cached || cached.until < Date.now()) {
      const headers = import('../../../../tools/devauth/src/index').then(({ authHeader }) =>
        authHeader({ customerId, admin: true, expiresIn: TOKEN_LIFETIME_S, dir }),
      );
      cached = { headers, until: Date.now() + RENEW_AFTER_MS };
      headers.catch(() => (cached = undefined));
    }
    return cached.headers;
  };
}
