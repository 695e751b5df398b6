import type { ChargeDependencies } from '../domain/charge';
import type { RefundDependencies } from '../domain/refund';
import { paymentRepositoryFromEnv } from './dynamo-payment-repository';
import { providerApiKeyFromEnv } from './provider-api-key';
import { SimulatedProvider } from './simulated-provider';

/** What the saga steps charge and refund with: the payments table, the provider (its key from SSM) and the wall clock. */
export function paymentStepDependenciesFromEnv(): ChargeDependencies & RefundDependencies {
  return {
    repository: paymentRepositoryFromEnv(),
    provider: new SimulatedProvider(providerApiKeyFromEnv()),
    clock: () => new Date(),
  };
}
