import { authHeader } from '../../../devauth/src/index';
import { PlatformClient as ApiClient, type ApiEndpoints, type Credentials } from '../../../../ops/src/client/platform-client';

/** The platform's HTTP client lives in ops/ (it runs against any stage); the local tools add the development issuer's tokens. */
export * from '../../../../ops/src/client/platform-client';

/**
 * Tokens signed by the local development issuer (devauth, keys in .local/auth), minted once per
 * customer and reused for their lifetime (an hour).
 */
export function devCredentials(dir?: string): Credentials {
  const cache = new Map<string, { headers: Promise<Record<string, string>>; until: number }>();
  const cached = (key: string, mint: () => Promise<Record<string, string>>) => {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.headers;
    const headers = mint();
    cache.set(key, { headers, until: Date.now() + 50 * 60_000 });
    return headers;
  };
  return {
    customer: (customerId) => cached(`customer:${customerId}`, () => authHeader({ customerId, expiresIn: '1h', dir })),
    admin: () => cached('admin', () => authHeader({ customerId: 'local-operator', admin: true, expiresIn: '1h', dir })),
  };
}

/** The platform client with the development issuer's tokens unless told otherwise. */
export class PlatformClient extends ApiClient {
  constructor(endpoints: ApiEndpoints, credentials: Credentials = devCredentials()) {
    super(endpoints, credentials);
  }
}
