import { HttpProblem, isTransientAwsError } from '@order-platform/shared';

/**
 * Throttling or a DynamoDB hiccup is the server's momentary problem, not a bug: answer 503 with
 * Retry-After instead of the generic 500 so that clients retry.
 */
export async function unavailableOnTransient<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isTransientAwsError(error)) {
      throw new HttpProblem(503, 'The inventory is busy; retry in a moment', {}, { 'Retry-After': '1' });
    }
    throw error;
  }
}
