import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { requireEnv } from '@order-platform/shared';

/** The sandbox key used where there is no parameter store (the local stack). */
export const LOCAL_PROVIDER_API_KEY = 'sk_test_local_simulated';

const CACHE_MILLIS = 5 * 60 * 1000;

export interface ProviderApiKeyOptions {
  stage: string;
  /** SSM parameter name (a SecureString), from PAYMENT_PROVIDER_API_KEY_PARAM. */
  parameterName: string;
  /** Created lazily by the caller so that the local stage never builds one. */
  ssm: () => SSMClient;
  now?: () => number;
}

/**
 * Where the provider's API key comes from: SSM in AWS (read on first use, cached for five
 * minutes so a rotation spreads within minutes), a fixed sandbox key on the local stage.
 */
export function providerApiKey(options: ProviderApiKeyOptions): () => Promise<string> {
  if (options.stage === 'local') return async () => LOCAL_PROVIDER_API_KEY;

  const now = options.now ?? Date.now;
  let cached: { value: string; fetchedAt: number } | undefined;
  return async () => {
    if (cached && now() - cached.fetchedAt < CACHE_MILLIS) return cached.value;
    const { Parameter } = await options
      .ssm()
      .send(new GetParameterCommand({ Name: options.parameterName, WithDecryption: true }));
    const value = Parameter?.Value;
    if (!value) throw new Error(`SSM parameter ${options.parameterName} has no value`);
    cached = { value, fetchedAt: now() };
    return value;
  };
}

/** The key source the handlers use: STAGE and PAYMENT_PROVIDER_API_KEY_PARAM from the environment. */
export function providerApiKeyFromEnv(): () => Promise<string> {
  let ssm: SSMClient | undefined;
  return providerApiKey({
    stage: requireEnv('STAGE'),
    parameterName: requireEnv('PAYMENT_PROVIDER_API_KEY_PARAM'),
    ssm: () => (ssm ??= new SSMClient({})),
  });
}
