/** Credentials for the emulators: any non-empty pair is accepted, none is ever checked. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: typeof localCredentials;
}

export function localClientConfig(endpoint: string, region = 'eu-west-1'): LocalClientConfig {
  return { endpoint, region, credentials: localCredentials };
}
